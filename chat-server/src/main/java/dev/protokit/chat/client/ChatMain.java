package dev.protokit.chat.client;

import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyFileException;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.retry.Backoff;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bin/chat}: the native chat client. Without a subcommand it is interactive (JLine line
 * editing and history); {@code send} posts one message and {@code tail} prints a room as it
 * happens, both scriptable. Exit codes: 0 ok, 1 connection or authentication failure (one
 * line), 2 usage (one line).
 */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {ChatMain.Send.class, ChatMain.Tail.class},
        description = {"Client of the protokit-chat/1 native protocol (chat-server).",
            "Interactive without a subcommand: /join /part /msg /me /topic /who /away /history /send /get /quit."})
public final class ChatMain implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final Backoff RECONNECT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT", required = true, description = "The chat server's native listener.")
    void server(String value) {
        int colon = value.lastIndexOf(':');
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            String host = value.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
            if (colon < 1 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            server = InetSocketAddress.createUnresolved(host, port);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server must be HOST:PORT, got " + value);
        }
    }

    InetSocketAddress server;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The account's key file (default: $XDG_CONFIG_HOME/protokit/chat.key, else ~/.config/protokit/chat.key).")
    Path keyFile;

    @Option(names = "--tls", description = "Speak TLS to a server started with --native-tls (the key handshake runs inside it).")
    boolean tls;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "With --tls: trust only these certificates (e.g. the server's STATE/irc-cert.pem) instead of the system CAs.")
    Path caFile;

    @Option(names = "--insecure", description = "With --tls: accept any certificate and host name.")
    boolean insecure;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs {@code bin/chat} with {@code args}; tests call this in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ChatMain());
        if (dev.protokit.common.daemon.DocGen.writeIfAsked(cli)) {
            return 0;
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("chat: " + e.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("chat: " + oneLine(e));
            return 1;
        });
        return cli.execute(args);
    }

    private static String oneLine(Exception e) {
        return switch (e) {
            case AuthException a -> "the server refused the key, or could not prove it holds it (" + a.error().name().toLowerCase() + ")";
            case java.net.ConnectException c -> "cannot connect: " + c.getMessage();
            case java.net.UnknownHostException u -> "unknown host " + u.getMessage();
            case javax.net.ssl.SSLHandshakeException h -> "TLS handshake failed: " + h.getMessage()
                    + " (trust the server's certificate with --ca-file PEM, or --insecure)";
            case javax.net.ssl.SSLException t -> "TLS failed: " + t.getMessage() + " (is the server started with --native-tls?)";
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    @Override
    public Integer call() throws Exception {
        return new Interactive(this).run();
    }

    /** The account key: {@code --key}, else the one in the user's config directory. */
    SharedKey key() {
        Path file = keyFile;
        if (file == null) {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            file = config.resolve("protokit").resolve("chat.key");
        }
        if (!java.nio.file.Files.exists(file)) {
            throw new IllegalStateException("no key file " + file + " (give one with --key FILE)");
        }
        try {
            KeyRing ring = KeyFile.load(file);
            return ring.first();
        } catch (KeyFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    InetSocketAddress resolved() {
        return new InetSocketAddress(server.getHostString(), server.getPort());
    }

    /** How to reach the server: plain TCP, or TLS with {@code --tls} (trusting {@code --ca-file} or the JDK's CAs). */
    Dialer dialer() {
        if (!tls) {
            if (caFile != null || insecure) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file and --insecure need --tls");
            }
            return Dialer.plain(resolved());
        }
        if (caFile != null && insecure) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file and --insecure exclude each other");
        }
        try {
            javax.net.ssl.TrustManager trust = insecure ? dev.protokit.common.tls.ClientTrust.acceptAny()
                    : caFile != null ? dev.protokit.common.tls.ClientTrust.fromPem(caFile) : dev.protokit.common.tls.ClientTrust.jdkDefault();
            var context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return new Dialer(resolved(), java.util.Optional.of(context), !insecure);
        } catch (java.security.cert.CertificateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file " + caFile + " holds no readable PEM certificate");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read --ca-file " + caFile + ": " + e.getMessage(), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code chat send --room ROOM TEXT...}: join, post, wait for the server's ack, leave. */
    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send one message to a room (or --to an account).")
    static final class Send implements Callable<Integer> {
        @ParentCommand
        ChatMain chat;
        @Option(names = "--room", paramLabel = "ROOM", description = "The room (general, not #general).")
        String room;
        @Option(names = "--to", paramLabel = "ACCOUNT", description = "Send a direct message instead.")
        String to;
        @Parameters(paramLabel = "TEXT", arity = "1..*")
        List<String> words;

        @Override
        public Integer call() throws IOException {
            if ((room == null) == (to == null)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give exactly one of --room and --to");
            }
            String text = String.join(" ", words);
            try (ChatConnection c = ChatConnection.open(chat.dialer(), chat.key(), TIMEOUT)) {
                if (room != null) {
                    c.send(new ClientMessage.Join(room, Optional.empty()));
                    c.send(new ClientMessage.Say(Optional.of("send"), room, text, false));
                } else {
                    c.send(new ClientMessage.Dm(Optional.of("send"), to, text, false));
                }
                for (var r = c.receive(); r.isPresent(); r = c.receive()) {
                    switch (r.get().message()) {
                        case ServerMessage.Ack ack when ack.ref().equals(Optional.of("send")) -> {
                            c.send(new ClientMessage.Quit(Optional.empty()));
                            return 0;
                        }
                        case ServerMessage.Error error -> throw new IOException(error.code().wireValue() + ": " + error.text());
                        default -> { }
                    }
                }
                throw new IOException("the server closed the connection before acknowledging");
            }
        }
    }

    /** {@code chat tail --room ROOM}: the room's recent history, then every new message, reconnecting as needed. */
    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print a room's recent history and new messages until interrupted.")
    static final class Tail implements Callable<Integer> {
        @ParentCommand
        ChatMain chat;
        @Option(names = "--room", paramLabel = "ROOM", required = true)
        String room;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = chat.out();
            var client = new ChatClient(chat.dialer(), chat.key(), new ChatClient.Listener() {
                @Override
                public void message(ServerMessage message) {
                    if (message instanceof ServerMessage.Stored || message instanceof ServerMessage.Error) {
                        MessageFormat.line(message).ifPresent(out::println);
                        out.flush();
                    }
                }

                @Override
                public void disconnected(String reason, Duration delay) {
                    chat.spec.commandLine().getErr().println("chat: " + reason + "; reconnecting in " + delay.toMillis() + " ms");
                }
            }, RECONNECT, TIMEOUT);
            client.remember(room);
            client.run();
            return 0;
        }
    }
}
