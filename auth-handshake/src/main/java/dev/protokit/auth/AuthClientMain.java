package dev.protokit.auth;

import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyFileException;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UsageException;
import dev.protokit.common.frame.LineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code auth-client}: connects to an {@code auth-server}, authenticates (and checks that the
 * server holds the key too), then relays stdin lines to the server and its replies to stdout,
 * or sends one {@code --message}. Fails with a one-line reason and exit status 1 when the
 * server is unreachable or authentication fails. {@code auth-client keygen} makes key files.
 */
@Command(name = "auth-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, subcommands = KeygenCommand.class,
        description = {"Authenticate to an auth-server (protokit-auth/1), then relay lines:",
            "stdin to the server, its replies to stdout. Exits 1 with a one-line",
            "reason if the server is unreachable or authentication fails.",
            "Make a key file first: auth-client keygen --id k1 --out FILE"})
public final class AuthClientMain implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Server host name or address (default: ${DEFAULT-VALUE}).")
    private String host;

    private int port;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + AuthServer.DEFAULT_PORT,
            description = "Server port (default: ${DEFAULT-VALUE}).")
    private void setPort(int value) {
        if (value < 1 || value > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 1..65535, got " + value);
        }
        port = value;
    }

    @Option(names = "--key", paramLabel = "FILE", description = "Key file (mode 0600), as made by 'auth-client keygen'.")
    private Path keyFile;

    @Option(names = "--key-id", paramLabel = "ID", description = "Which key of the file to use (default: the first).")
    private String keyId;

    @Option(names = "--message", paramLabel = "TEXT", description = "Send this one line, print the reply, exit.")
    private String message;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.PositiveTimeout.class,
            description = "Time allowed to connect, and then to authenticate (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new AuthClientMain(), args));
    }

    @Override
    public Integer call() throws IOException {
        if (keyFile == null) {
            // Not required=true in the annotation, or 'auth-client keygen' would demand it too.
            throw new ParameterException(spec.commandLine(), "Missing required option: '--key=FILE'");
        }
        if (message != null && (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0)) {
            throw new ParameterException(spec.commandLine(), "--message must be one line (no CR or LF)");
        }
        SharedKey key = chooseKey();
        // The echo service works on bytes (ISO-8859-1 on the wire); stdin, stdout and --message
        // pass through as raw bytes, so UTF-8 text arrives and returns intact.
        var stdout = new PrintStream(System.out, true, StandardCharsets.ISO_8859_1);
        Duration replyTimeout = message != null ? Duration.ofSeconds(30) : Duration.ZERO;
        var config = new AuthClient.Config(address(), key, timeout, timeout, replyTimeout, EchoHandler.DEFAULT_MAX_LINE_BYTES);
        try (AuthClient client = connect(config)) {
            if (message != null) {
                stdout.println(client.echo(new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
            } else {
                relay(client, stdout);
            }
        } catch (IOException | LineException e) {
            throw new StartupException("connection to " + host + " port " + port + " lost: " + e.getMessage(), e);
        } finally {
            key.destroy();
        }
        return DaemonLauncher.OK;
    }

    private SharedKey chooseKey() {
        KeyRing ring;
        try {
            ring = KeyFile.load(keyFile);
        } catch (KeyFileException e) {
            throw new StartupException(e.getMessage(), e);
        }
        try {
            if (keyId == null) {
                return new SharedKey(ring.first().id(), ring.first().copySecret());
            }
            if (!KeyId.isValid(keyId)) {
                throw new UsageException("--key-id " + keyId + " is not a valid key id");
            }
            SharedKey chosen = ring.find(new KeyId(keyId)).orElseThrow(() -> new StartupException(
                    "key file " + keyFile + " has no key " + keyId + " (it has " + ring.ids() + ")"));
            return new SharedKey(chosen.id(), chosen.copySecret());
        } finally {
            ring.destroy();
        }
    }

    private InetSocketAddress address() {
        var address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new StartupException("cannot resolve host " + host);
        }
        return address;
    }

    private AuthClient connect(AuthClient.Config config) {
        String where = host + " port " + port;
        try {
            return AuthClient.connect(config);
        } catch (AuthException e) {
            String why = switch (e.error()) {
                case REJECTED -> "the server refused key " + config.key().id();
                case BAD_MAC -> "the server could not prove it holds key " + config.key().id();
                case TIMEOUT -> "the server did not complete the handshake within " + timeout;
                case TRUNCATED -> "the server closed the connection during the handshake";
                case MALFORMED, UNSUPPORTED_PROTOCOL -> "the server does not speak protokit-auth/1 (" + e.getMessage() + ")";
                case IO -> e.getMessage();
                // Server-side reasons; a client never raises them, but the switch stays exhaustive.
                case UNKNOWN_KEY_ID, LOCKED_OUT -> e.getMessage();
            };
            throw new StartupException("authentication to " + where + " failed: " + why, e);
        } catch (UnknownHostException e) {
            throw new StartupException("cannot resolve host " + host, e);
        } catch (IOException e) {
            throw new StartupException("cannot connect to " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends stdin line by line while a second thread prints replies as they come. If the server
     * closes the connection while stdin is still open, says so and exits 1 at once rather than
     * waiting for stdin to end (a blocked read of stdin cannot be interrupted).
     */
    private static void relay(AuthClient client, PrintStream stdout) throws IOException {
        var doneSending = new AtomicBoolean();
        Thread printer = Thread.ofVirtual().name("auth-client-replies").start(() -> {
            String lost = "the server closed the connection";
            try {
                for (Optional<String> reply = client.receive(); reply.isPresent(); reply = client.receive()) {
                    stdout.println(reply.get());
                }
            } catch (IOException | RuntimeException e) {
                lost = "connection lost: " + e.getMessage();
            }
            if (!doneSending.get()) {
                System.err.println("auth-client: " + lost);
                System.exit(DaemonLauncher.FAILURE);
            }
        });
        var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.ISO_8859_1));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            client.send(line);
        }
        doneSending.set(true);
        client.finishSending();
        try {
            printer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
