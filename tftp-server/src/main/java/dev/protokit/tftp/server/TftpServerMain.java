package dev.protokit.tftp.server;

import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.DaemonOptions;
import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.daemon.LimitOptions;
import dev.protokit.common.daemon.RootOption;
import dev.protokit.common.daemon.SizeConverter;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tftp-server}: the TFTP daemon. Parses flags into a {@link TftpServerConfig}, starts a
 * {@link TftpServer} on {@code --bind/--port} (or, with {@code --inetd}, on the socket inetd or
 * systemd passes as standard input) and runs until SIGTERM or SIGINT, then drains.
 */
@Command(name = "tftp-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"TFTP server (RFC 1350; options RFC 2347, 2348, 2349, 7440) confined to one directory.",
            "Read-only unless --allow-write. Default port " + TftpServerMain.DEFAULT_PORT + "."})
public final class TftpServerMain implements Callable<Integer> {
    /** The quick-start port; the systemd unit uses 69. */
    public static final int DEFAULT_PORT = 6969;

    @Mixin
    private RootOption root;

    @Option(names = "--allow-write", description = "Accept uploads (WRQ) that replace existing files.")
    private boolean allowWrite;

    @Option(names = "--allow-create", description = "Accept uploads of new files too (implies --allow-write).")
    private boolean allowCreate;

    @Option(names = "--max-upload-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest upload, in bytes or with K, M, G (default: no limit). A WRQ whose tsize is larger "
                    + "is refused before any data; an upload passing it mid-way is aborted. Both: error 3.")
    private Long maxUploadSize;

    @Option(names = "--remap", paramLabel = "FILE",
            description = "File-name rewriting rules, a subset of tftpd-hpa's -m format (see tftp-server/README.md).")
    private Path remap;

    /** The old name of {@code --max-connections}, kept so existing command lines keep working. */
    @Option(names = "--max-transfers", paramLabel = "N", hidden = true)
    private Integer maxTransfers;

    @Mixin
    private LimitOptions limits;

    @Option(names = "--port-range", paramLabel = "LOW-HIGH",
            description = "Local ports for transfer sockets, for firewalls (default: any free port).")
    private String portRange;

    @Option(names = "--max-blksize", paramLabel = "N", defaultValue = "65464",
            description = "Largest block size granted (RFC 2348; default: ${DEFAULT-VALUE}).")
    private int maxBlksize;

    @Option(names = "--max-windowsize", paramLabel = "N", defaultValue = "64",
            description = "Largest window granted (RFC 7440; default: ${DEFAULT-VALUE}); "
                    + "blksize x windowsize is also capped at 1 MiB.")
    private int maxWindowsize;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.PositiveTimeout.class,
            description = "Retransmission timeout unless the client negotiates one (default: ${DEFAULT-VALUE}); "
                    + "the most a retransmission waits; the engine measures the round trip and retransmits sooner.")
    private Duration timeout;

    @Option(names = "--max-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.PositiveTimeout.class,
            description = "Longest RFC 2349 timeout a client may negotiate (1s..255s; default: ${DEFAULT-VALUE}); "
                    + "a longer one is not acknowledged and --timeout applies.")
    private Duration maxTimeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "5",
            description = "Retransmissions without progress before a transfer is abandoned (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--transfer-threads", paramLabel = "KIND", defaultValue = "auto",
            converter = ThreadsConverter.class,
            description = "auto (default: a platform thread per transfer while fewer than "
                    + UdpServer.SessionThreads.AUTO_PLATFORM_MAX + " run, which "
                    + "wakes faster for each ACK; virtual threads beyond), virtual or platform for every transfer "
                    + "(see CONCURRENCY.md).")
    private TftpServerConfig.TransferThreads threads;

    @Option(names = "--inetd",
            description = "Serve the UDP socket passed on standard input by inetd or systemd (StandardInput=socket).")
    private boolean inetd;

    @Mixin
    private DaemonOptions daemon;

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new TftpServerMain(), args));
    }

    @Override
    public Integer call() throws IOException {
        TftpServerConfig config = config();
        DatagramChannel inherited = inetd ? inheritedSocket() : null;
        Lifecycle.serve(() -> inetd ? TftpServer.start(config, inherited) : TftpServer.start(config, daemon.listenAddress(DEFAULT_PORT)),
                TftpServer::shutdown, limits.shutdownGrace());
        return DaemonLauncher.OK;
    }

    /** The flags as a configuration; bad values fail start-up with one line. */
    TftpServerConfig config() {
        WritePolicy writes = allowCreate ? WritePolicy.CREATE_FILES
                : allowWrite ? WritePolicy.EXISTING_FILES : WritePolicy.READ_ONLY;
        try {
            RemapRules rules = remap == null ? RemapRules.none() : RemapRules.load(remap);
            return new TftpServerConfig(root.root(), writes, maxUploadSize == null ? Long.MAX_VALUE : maxUploadSize,
                    rules, connectionLimits(),
                    portRange == null ? PortRange.ANY : PortRange.parse(portRange),
                    maxBlksize, maxWindowsize, timeout, retries, threads, maxTimeout, limits.idleTimeout(),
                    limits.handshakeTimeout());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        } catch (IOException e) {
            throw new StartupException("cannot read --remap " + remap + ": " + e.getMessage(), e);
        }
    }

    private ConnectionLimits connectionLimits() {
        ConnectionLimits shared = limits.limits();
        return maxTransfers == null ? shared : new ConnectionLimits(maxTransfers, shared.maxPerAddress());
    }

    /**
     * The socket on standard input. Java sees an inherited socket only on fd 0, hence systemd's
     * StandardInput=socket rather than the usual fd 3 of sd_listen_fds.
     */
    private static DatagramChannel inheritedSocket() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (inherited instanceof DatagramChannel datagram) {
            return datagram;
        }
        throw new StartupException("--inetd: standard input is not a UDP socket (got "
                + (inherited == null ? "no socket" : inherited.getClass().getSimpleName())
                + "); run from inetd (dgram wait) or a systemd .socket unit with StandardInput=socket");
    }


    /** {@code auto}, {@code virtual} or {@code platform}, any case. */
    static final class ThreadsConverter implements ITypeConverter<TftpServerConfig.TransferThreads> {
        @Override
        public TftpServerConfig.TransferThreads convert(String text) {
            try {
                return TftpServerConfig.TransferThreads.valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not auto, virtual or platform");
            }
        }
    }
}
