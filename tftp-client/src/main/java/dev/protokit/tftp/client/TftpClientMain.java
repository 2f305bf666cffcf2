package dev.protokit.tftp.client;

import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DocGen;
import dev.protokit.common.daemon.Terminal;
import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TransferMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code tftp-client} command: {@code get|put HOST[:PORT] REMOTE [LOCAL]}. Exits 0 on
 * success, 1 with a one-line reason on any failure, 2 on bad usage.
 */
@Command(name = "tftp-client", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Reads (get) or writes (put) one file over TFTP (RFC 1350, options RFC 2347/2348/2349/7440).",
                "LOCAL defaults to the last part of REMOTE (get) or to REMOTE (put); '-' is stdout/stdin.",
                "A get writes a temporary file and renames it only on success."})
public final class TftpClientMain implements Callable<Integer> {
    enum Action { get, put }

    @Parameters(index = "0", description = "get or put")
    Action action;

    @Parameters(index = "1", paramLabel = "HOST[:PORT]", description = "server, port 69 by default; IPv6 as [::1]:6969")
    String host;

    @Parameters(index = "2", paramLabel = "REMOTE", description = "the file name on the server")
    String remote;

    @Parameters(index = "3", arity = "0..1", paramLabel = "LOCAL", description = "the local file")
    String local;

    @Spec
    CommandSpec spec;

    @Option(names = "--blksize", paramLabel = "N", description = "ask for this block size, 8..65464 (RFC 2348)")
    Integer blksize;

    @Option(names = "--windowsize", paramLabel = "N", description = "ask for this window size, 1..65535 (RFC 7440); above 32767 it is asked as 32767 (16-bit block numbers)")
    Integer windowsize;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "ask for this timeout, 1..255 (RFC 2349); default: 1 s locally, not asked")
    Integer timeout;

    @Option(names = "--tsize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "ask for / announce the file size (RFC 2349); default: on")
    boolean tsize;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "octet", description = "octet or netascii; default: octet")
    String mode;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "5", description = "retransmissions without progress before giving up; default: 5")
    int retries;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar (there is none anyway when stderr is not a terminal)")
    boolean quiet;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command, printing errors to {@code err}; returns the exit code. For tests. */
    public static int run(String[] args, PrintWriter err) {
        var cli = new CommandLine(new TftpClientMain());
        if (DocGen.writeIfAsked(cli)) {
            return 0;
        }
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        DaemonLauncher.shortUsageErrors(cli);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("tftp-client: " + oneLine(e));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        TftpClient.Builder builder = configured(TftpClient.builder(resolve()));
        // The wire carries bytes: send the UTF-8 bytes of the name, one char per byte.
        String wireName = new String(remote.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String localName = local != null ? local
                : action == Action.get ? Path.of(remote).getFileName().toString() : remote;
        boolean stdio = localName.equals("-");
        try (var bar = !quiet && !stdio && Terminal.isInteractive()
                ? new ProgressBarListener(action + " " + remote) : null) {
            if (bar != null) {
                builder.listener(bar);
            }
            TftpClient client = builder.build();
            if (action == Action.get) {
                if (stdio) {
                    client.get(wireName, System.out);
                } else {
                    client.get(wireName, Path.of(localName));
                }
            } else if (stdio) {
                client.put(System.in, wireName);
            } else {
                client.put(Path.of(localName), wireName);
            }
        }
        return 0;
    }

    /** The flags applied to {@code builder}; a value out of range is a usage error (exit 2). */
    private TftpClient.Builder configured(TftpClient.Builder builder) {
        try {
            TransferMode transferMode = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
                case "octet" -> TransferMode.OCTET;
                case "netascii" -> TransferMode.NETASCII;
                default -> throw new IllegalArgumentException("--mode must be octet or netascii, not " + mode);
            };
            builder.mode(transferMode).retries(retries).transferSize(tsize);
            if (blksize != null) {
                builder.blockSize(blksize);
            }
            if (windowsize != null) {
                builder.windowSize(windowsize);
            }
            if (timeout != null) {
                builder.timeoutOption(timeout);
            }
            builder.build(); // checks every range now (no socket is opened)
            return builder;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private java.net.InetSocketAddress resolve() throws UnknownHostException {
        try {
            return Hosts.parse(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("unknown host " + host);
        }
    }

    private static String oneLine(Exception e) {
        String message = e instanceof TftpException || e.getMessage() == null
                ? String.valueOf(e.getMessage()) : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            message = "no such file: " + e.getMessage();
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            message = "permission denied: " + e.getMessage();
        } else if (!(e instanceof TftpException) && !(e instanceof IllegalArgumentException)
                && !(e instanceof UnknownHostException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return message.replace('\n', ' ');
    }
}
