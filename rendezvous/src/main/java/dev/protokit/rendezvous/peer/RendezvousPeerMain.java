package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.HostPort;
import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code rendezvous-peer} command: {@code chat}, {@code send}, {@code receive} and
 * {@code stun}. Exit codes: 0 done, 1 a failure with a one-line reason (server silent, no path,
 * peer gone), 2 bad usage, 3 wrong code (the code is burned), 4 the file failed its check.
 */
@Command(name = "rendezvous-peer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Meets another peer through a rendezvous server, punches through both NATs and talks",
                "directly, end-to-end encrypted under a short code (J-PAKE, ChaCha20-Poly1305)."},
        subcommands = {RendezvousPeerMain.Chat.class, RendezvousPeerMain.Send.class,
                RendezvousPeerMain.Receive.class, RendezvousPeerMain.Stun.class})
public final class RendezvousPeerMain {
    /** The default rendezvous and STUN port (RFC 8489's). */
    static final int DEFAULT_PORT = 3478;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_WRONG_CODE = 3;
    static final int EXIT_BAD_FILE = 4;

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command, printing errors to {@code err}; returns the exit code. For tests. */
    public static int run(String[] args, PrintWriter err) {
        var cli = new CommandLine(new RendezvousPeerMain());
        if (dev.protokit.common.daemon.DocGen.writeIfAsked(cli)) {
            return 0;
        }
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("rendezvous-peer: " + e.getMessage().replace('\n', ' '));
            return 2;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                err.println("rendezvous-peer: " + oneLine(e));
                return 2;
            }
            err.println("rendezvous-peer: " + oneLine(e));
            return e instanceof PeerException p && p.error() == PeerError.WRONG_CODE ? EXIT_WRONG_CODE : EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof PeerException p) {
            message = message.startsWith(p.error().name() + " ")
                    ? message.substring(p.error().name().length() + 1) : message;
            if (p.error() == PeerError.WRONG_CODE) {
                message = "wrong code: " + message;
            }
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            message = "no such file: " + message;
        } else if (!(e instanceof IOException) && !(e instanceof IllegalArgumentException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return message.replace('\n', ' ');
    }

    /** The options every connecting command shares. */
    static final class Meeting {
        @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]",
                description = "the rendezvous server; port " + DEFAULT_PORT + " by default")
        String server;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10m",
                converter = dev.protokit.common.daemon.DurationConverter.class,
                description = "how long to wait for the other peer; default: 10m")
        Duration wait;

        @Option(names = "--punch-timeout", paramLabel = "DURATION", defaultValue = "3s",
                converter = dev.protokit.common.daemon.DurationConverter.class,
                description = "how long direct punching may take before relaying; default: 3s")
        Duration punch;

        @Option(names = "--relay-server", paramLabel = "HOST[:PORT]",
                description = "relay through this TURN server (coturn, say) instead of the one the rendezvous server offers")
        String relayServer;

        @Option(names = "--relay-user", paramLabel = "NAME", defaultValue = "rendezvous-peer",
                description = "the name in the TURN REST user name (expiry:NAME); default: rendezvous-peer")
        String relayUser;

        @Option(names = "--relay-secret-file", paramLabel = "FILE",
                description = "the TURN REST shared secret (a file only its owner can read)")
        Path relaySecretFile;

        InetSocketAddress serverAddress() throws IOException {
            return HostPort.parse(server, DEFAULT_PORT);
        }

        java.util.Optional<RelayConfig> relay() throws IOException {
            if (relayServer == null && relaySecretFile == null) {
                return java.util.Optional.empty();
            }
            if (relayServer == null || relaySecretFile == null) {
                throw new IllegalArgumentException("--relay-server and --relay-secret-file go together");
            }
            if (relayUser.isEmpty() || relayUser.contains(":")) {
                throw new IllegalArgumentException("--relay-user must be non-empty and without ':'");
            }
            byte[] secret = readSecret(relaySecretFile);
            try {
                return java.util.Optional.of(new RelayConfig(HostPort.parse(relayServer, DEFAULT_PORT), relayUser, secret));
            } finally {
                java.util.Arrays.fill(secret, (byte) 0);
            }
        }

        /** The first line of the secret file, trimmed, as coturn's static-auth-secret and our server read it. */
        private static byte[] readSecret(Path file) throws IOException {
            java.util.Optional<String> problem = dev.protokit.common.daemon.PrivateFile.problem(file, "--relay-secret-file");
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get());
            }
            String first = java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip().lines().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--relay-secret-file " + file + " is empty")).strip();
            return first.getBytes(StandardCharsets.UTF_8);
        }

        /** Parses {@code code}, or makes and prints a fresh one for the other person. */
        SessionCode code(String code, String otherCommand, PrintWriter out) {
            if (code != null) {
                return SessionCode.parse(code);
            }
            SessionCode fresh = SessionCode.generate(new SecureRandom(), 9999, SessionCode.DEFAULT_WORDS);
            out.println("code: " + fresh + "   (the other person runs: rendezvous-peer " + otherCommand
                    + " --server " + server + " --code " + fresh + ")");
            out.flush();
            return fresh;
        }

        Connection connect(SessionCode code, PrintWriter out) throws IOException, InterruptedException {
            Connection c = PeerConnector.connect(new PeerConnector.Options(serverAddress(), code, wait, punch,
                    ChannelConfig.DEFAULT, relay(), line -> {
                        out.println(line);
                        out.flush();
                    }));
            out.printf("connected: %s to %s in %.2f s%s%n", c.path().label(), Addresses.format(c.peer()),
                    c.connectTime().toNanos() / 1e9, c.session().rtt().map(r -> ", rtt " + r.toMillis() + " ms")
                            .orElse(""));
            out.flush();
            return c;
        }
    }

    @Command(name = "chat", mixinStandardHelpOptions = true, description = {"A line chat with the other peer.",
            "With no --code, prints a fresh code for the other person. /quit says goodbye; /status shows the path and RTT."})
    static final class Chat implements Callable<Integer> {
        @Mixin
        Meeting meeting;

        @Option(names = "--code", paramLabel = "CODE", description = "the code the other person gave you, like 7-scenic-harbor")
        String code;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            SessionCode sessionCode = meeting.code(code, "chat", out);
            try (Connection c = meeting.connect(sessionCode, out)) {
                return new ChatLoop(c, System.in, out).run();
            }
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Sends one file to the other peer.")
    static final class Send implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the file to send")
        Path file;

        @Mixin
        Meeting meeting;

        @Option(names = "--code", paramLabel = "CODE", description = "a code agreed beforehand; by default a fresh one is printed")
        String code;

        @Option(names = {"-q", "--quiet"}, description = "no progress bar")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new IllegalArgumentException("not a regular file: " + file);
            }
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            SessionCode sessionCode = meeting.code(code, "receive", out);
            try (Connection c = meeting.connect(sessionCode, out)) {
                return FileTransfer.send(c.session(), file, !quiet, out) ? 0 : EXIT_BAD_FILE;
            }
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true, description = "Receives one file from the other peer.")
    static final class Receive implements Callable<Integer> {
        @Mixin
        Meeting meeting;

        @Option(names = "--code", required = true, paramLabel = "CODE", description = "the code the sender printed")
        String code;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where the file goes; default: .")
        Path out;

        @Option(names = {"-q", "--quiet"}, description = "no progress bar")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.isDirectory(out)) {
                throw new IllegalArgumentException("not a directory: " + out);
            }
            SessionCode sessionCode = SessionCode.parse(code);
            PrintWriter lines = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            try (Connection c = meeting.connect(sessionCode, lines)) {
                return FileTransfer.receive(c.session(), out, !quiet, lines) ? 0 : EXIT_BAD_FILE;
            }
        }
    }

    @Command(name = "stun", mixinStandardHelpOptions = true,
            description = "Prints the mapped address and, with a server that has an alternate address, the NAT's behaviour (RFC 5780).")
    static final class Stun implements Callable<Integer> {
        @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "a STUN server")
        String server;

        @Override
        public Integer call() throws Exception {
            InetSocketAddress address = HostPort.parse(server, DEFAULT_PORT);
            try (NatProbe probe = new NatProbe(address)) {
                NatProbe.Report r = probe.run(address);
                PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
                out.println("local address:  " + Addresses.format(r.local()));
                out.println("mapped address: " + Addresses.format(r.mapped()));
                if (r.other().isEmpty()) {
                    out.println("the server has no alternate address: NAT behaviour not tested (RFC 5780)");
                } else {
                    out.println("other address:  " + Addresses.format(r.other().get()));
                    out.println("mapping:        " + r.mapping().map(NatProbe.Behaviour::label).orElse("unknown (no answer)"));
                    out.println("filtering:      " + r.filtering().map(NatProbe.Behaviour::label).orElse("unknown"));
                }
                out.flush();
            }
            return 0;
        }
    }
}
