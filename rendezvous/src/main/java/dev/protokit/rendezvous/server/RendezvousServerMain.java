package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DaemonOptions;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.daemon.LimitOptions;
import dev.protokit.common.daemon.PrivateFile;
import dev.protokit.common.daemon.RequestRate;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.RestCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous-server}: STUN (RFC 8489/5780), TURN (RFC 8656) and the rendezvous service on
 * one UDP port (STUN over TCP on the same port). Parses flags into a
 * {@link RendezvousServerConfig}, starts a {@link RendezvousServer} and runs until SIGTERM.
 */
@Command(name = "rendezvous-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = {
            "STUN, TURN and rendezvous server for UDP hole punching on one port (default " + RendezvousServerMain.PORT + ").",
            "Needs no privileges on its default port."})
public final class RendezvousServerMain implements Callable<Integer> {
    /** The IANA STUN/TURN port. */
    public static final int PORT = 3478;

    @Spec
    private CommandSpec spec;

    @Option(names = "--alternate-address", paramLabel = "ADDR",
            description = "A second local address for RFC 5780 NAT behaviour discovery (needs --bind); the server "
                    + "then also listens on port + 1 of both addresses.")
    private InetAddress alternate;

    @Option(names = "--no-relay", description = "Do not offer TURN relaying.")
    private boolean noRelay;

    @Option(names = "--relay-secret-file", paramLabel = "FILE",
            description = "The TURN REST API shared secret (mode 0600), shared with other services or TURN servers "
                    + "(coturn's static-auth-secret). Default: a random secret for this run.")
    private Path relaySecretFile;

    @Option(names = "--relay-address", paramLabel = "ADDR",
            description = "Address relayed sockets bind and advertise (default: --bind; needed when --bind is the wildcard).")
    private InetAddress relayAddress;

    @Option(names = "--relay-ports", paramLabel = "LOW-HIGH", description = "Ports for relayed sockets (default: any).")
    private String relayPorts;

    @Option(names = "--realm", paramLabel = "NAME", defaultValue = "protokit",
            description = "TURN realm (default: ${DEFAULT-VALUE}).")
    private String realm;

    @Option(names = "--max-allocations", paramLabel = "N", defaultValue = "1000",
            description = "TURN allocations at once (default: ${DEFAULT-VALUE}).")
    private int maxAllocations;

    @Option(names = "--max-allocations-per-user", paramLabel = "N", defaultValue = "10",
            description = "TURN allocations at once per user name (default: ${DEFAULT-VALUE}).")
    private int maxPerUser;

    @Option(names = "--relay-rate", paramLabel = "BYTES", defaultValue = "1000000",
            description = "Relayed bytes a second per allocation (default: ${DEFAULT-VALUE}).")
    private long relayRate;

    @Option(names = "--relay-max-bytes", paramLabel = "BYTES", defaultValue = "1000000000",
            description = "Relayed bytes per allocation before it is ended (default: ${DEFAULT-VALUE}).")
    private long relayMaxBytes;

    @Option(names = "--relay-max-duration", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class, description = "Longest allocation, refreshed or not (default: ${DEFAULT-VALUE}).")
    private Duration relayMaxDuration;

    @Option(names = "--max-registrations", paramLabel = "N", defaultValue = "100000",
            description = "Rendezvous registrations at once, two per session (default: ${DEFAULT-VALUE}).")
    private int maxRegistrations;

    @Option(names = "--max-registrations-per-address", paramLabel = "N", defaultValue = "16",
            description = "Registrations from one address, IPv6 per /64 (default: ${DEFAULT-VALUE}).")
    private int maxRegistrationsPerAddress;

    @Option(names = "--request-rate", paramLabel = "N", defaultValue = "50",
            description = "Unauthenticated requests a second per source address, IPv6 per /64; more are dropped "
                    + "(default: ${DEFAULT-VALUE}; loopback is never limited).")
    private double requestRate;

    @Option(names = "--stun-credentials-file", paramLabel = "FILE",
            description = "Short-term STUN credentials, one line USER:PASSWORD (mode 0600): signed Binding requests "
                    + "are checked and answered signed.")
    private Path stunCredentialsFile;

    @Option(names = "--no-tcp", description = "Do not serve STUN over TCP.")
    private boolean noTcp;

    @Mixin
    private LimitOptions limits;

    @Mixin
    private DaemonOptions daemon;

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new RendezvousServerMain(), args));
    }

    @Override
    public Integer call() throws IOException {
        RendezvousServerConfig config = config();
        Lifecycle.serve(() -> RendezvousServer.start(config), RendezvousServer::shutdown, limits.shutdownGrace());
        return DaemonLauncher.OK;
    }

    /** The flags as a configuration; bad values are usage errors (exit 2). */
    RendezvousServerConfig config() {
        try {
            var listen = daemon.listenAddress(PORT);
            var policy = new RendezvousPolicy(Duration.ofMinutes(2), Duration.ofSeconds(25), maxRegistrations,
                    maxRegistrationsPerAddress, Duration.ofSeconds(10), Duration.ofMillis(50));
            var rate = new RequestRate.Policy(requestRate, (int) Math.max(1, Math.min(1_000_000, 2 * requestRate)), 65_536);
            var config = new RendezvousServerConfig(listen, Optional.ofNullable(alternate), Optional.empty(),
                    limits.limits(), limits.idleTimeout(), limits.handshakeTimeout(), rate, policy, Optional.empty(),
                    !noTcp);
            if (stunCredentialsFile != null) {
                String line = readPrivate(stunCredentialsFile, "--stun-credentials-file");
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ParameterException(spec.commandLine(), "--stun-credentials-file: expected USER:PASSWORD");
                }
                config = config.withStunCredentials(new StunResponder.ShortTerm(line.substring(0, colon),
                        IntegrityKey.shortTerm(line.substring(colon + 1))));
            }
            if (!noRelay) {
                Optional<InetAddress> relayAt = Optional.ofNullable(relayAddress);
                if (relayAt.isEmpty() && listen.getAddress().isAnyLocalAddress()) {
                    LoggerFactory.getLogger(RendezvousServer.NAME)
                            .warn("TURN relay off: --bind is the wildcard address; give --relay-address");
                    return config;
                }
                int[] ports = ports();
                var d = TurnConfig.defaults(credentials());
                config = config.withTurn(new TurnConfig(d.credentials(), realm, ports[0], ports[1], maxAllocations,
                        maxPerUser, d.maxLifetime(), relayMaxDuration, relayRate, relayMaxBytes, d.offerLifetime(),
                        relayAt));
            }
            return config;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int[] ports() {
        if (relayPorts == null) {
            return new int[] {0, 0};
        }
        String[] parts = relayPorts.split("-", 2);
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--relay-ports must be LOW-HIGH, got " + relayPorts);
        }
    }

    private RestCredentials credentials() {
        if (relaySecretFile == null) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new RestCredentials(secret);
        }
        return new RestCredentials(readPrivate(relaySecretFile, "--relay-secret-file").getBytes(StandardCharsets.UTF_8));
    }

    /** The first line of a 0600 file, trimmed. */
    private static String readPrivate(Path file, String flag) {
        try {
            Optional<String> problem = PrivateFile.problem(file, flag + " file");
            if (problem.isPresent()) {
                throw new StartupException(problem.get());
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new StartupException(flag + " " + file + " is empty");
            }
            return text.lines().findFirst().orElseThrow().strip();
        } catch (IOException e) {
            throw new StartupException("cannot read " + flag + " " + file + ": " + e.getMessage(), e);
        }
    }
}
