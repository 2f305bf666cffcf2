package dev.protokit.tftp.server;

import dev.protokit.common.daemon.Binder;
import dev.protokit.common.daemon.RequestRate;
import dev.protokit.common.daemon.UdpBatchSender;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.tftp.server.RequestDispatcher.Drop;
import dev.protokit.tftp.server.RequestDispatcher.Repeated;
import dev.protokit.tftp.server.RequestDispatcher.Reply;
import dev.protokit.tftp.server.RequestDispatcher.Start;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running TFTP server on common's {@link UdpServer} runtime: the runtime's listener thread
 * hands each datagram on the request port to the {@link RequestDispatcher}, and each admitted
 * request becomes a runtime session, a {@link Transfer} with its own socket and thread that the
 * runtime's watchdog cuts when it stalls. Tests start it in-process on port 0;
 * {@link TftpServerMain} wraps it as a daemon. See CONCURRENCY.md beside the pom.
 */
public final class TftpServer implements AutoCloseable {
    static final String NAME = "tftp-server";
    private static final Logger LOG = LoggerFactory.getLogger(NAME);

    private final TftpServerConfig config;
    private final InetAddress transferAddress;
    private final UdpServer udp;
    /** Holds the root's directory descriptor, closed once the runtime has stopped. */
    private final RequestDispatcher dispatcher;

    private TftpServer(TftpServerConfig config, DatagramChannel socket) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.transferAddress = ((InetSocketAddress) socket.getLocalAddress()).getAddress();
        if (config.writes() != TftpServerConfig.WritePolicy.READ_ONLY) {
            StaleUploads.clean(config.root());
        }
        var runtime = new UdpServer.Config(NAME, config.limits(), config.idleTimeout(), config.handshakeTimeout(),
                RequestRate.Policy.defaults(), TftpCodec.MAX_REQUEST_LENGTH, config.threads().runtime());
        var holder = new RequestDispatcher[1];
        try {
            this.udp = UdpServer.start(runtime, List.of(socket), server -> {
                holder[0] = new RequestDispatcher(config, server.limiter(), server::hasSession, server.requestRate());
                RequestDispatcher dispatcher = holder[0];
                return datagram -> onPacket(dispatcher, datagram);
            });
        } catch (RuntimeException e) {
            if (holder[0] != null) {
                holder[0].close();
            }
            throw e;
        }
        this.dispatcher = holder[0];
        UdpBatchSender.unavailableReason().ifPresent(why -> LOG.info("windows go one datagram per system call: {}", why));
    }

    /**
     * Binds {@code listen} (port 0 picks a free port) and starts serving.
     *
     * @throws dev.protokit.common.daemon.StartupException when the address cannot be bound
     */
    public static TftpServer start(TftpServerConfig config, InetSocketAddress listen) throws IOException {
        return start(config, Binder.bindUdp(listen, NAME));
    }

    /**
     * Serves on an already bound socket, such as the one inetd or systemd passes on standard input
     * ({@link System#inheritedChannel()}); requests already waiting in it are served.
     */
    public static TftpServer start(TftpServerConfig config, DatagramChannel boundSocket) throws IOException {
        try {
            return new TftpServer(config, boundSocket);
        } catch (IOException | RuntimeException e) {
            boundSocket.close();
            throw e;
        }
    }

    /** The listening address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return udp.localAddress();
    }

    /** The listening port. */
    public int port() {
        return localAddress().getPort();
    }

    /** Transfers in progress now (a transfer cut by the watchdog no longer counts). */
    public int activeTransfers() {
        return udp.activeSessions();
    }

    /** The configuration this server runs with. */
    public TftpServerConfig config() {
        return config;
    }

    private void onPacket(RequestDispatcher dispatcher, UdpServer.Inbound datagram) throws IOException {
        InetSocketAddress from = datagram.from();
        switch (dispatcher.dispatch(from, datagram.packet())) {
            case Drop(String reason) -> TransferLog.dropped(from, reason);
            case Reply(TftpError error, String reason) -> {
                datagram.reply(TftpCodec.encode(error));
                TransferLog.refused(from, reason);
            }
            case Start(TransferPlan plan) -> start(plan);
            case Repeated() -> {
                if (!udp.repeated(from)) {
                    TransferLog.dropped(from, "retransmitted request, transfer just ended");
                }
            }
        }
    }

    private void start(TransferPlan plan) throws IOException {
        Optional<DatagramChannel> socket;
        try {
            socket = config.portRange().bind(transferAddress);
        } catch (IOException | RuntimeException e) {
            plan.permit().close();
            throw e;
        }
        if (socket.isEmpty()) {
            plan.permit().close();
            udp.send(TftpCodec.encode(new TftpError(ErrorCode.NOT_DEFINED, RequestDispatcher.BUSY)), plan.peer());
            TransferLog.refused(plan.peer(), "busy (no free port in " + config.portRange() + ")");
            return;
        }
        if (udp.startSession(plan.permit(), plan.peer(), new Transfer(plan, config, socket.get())).isEmpty()) {
            socket.get().close(); // shutting down, or the same TID raced in twice
        }
    }

    /**
     * Stops in three steps (the runtime's): closes the listening socket (no new transfers),
     * lets running transfers finish for up to {@code grace}, then cuts the rest: each gets an
     * ERROR, its socket is closed and its thread interrupted. Restores the interrupt flag.
     */
    public void shutdown(Duration grace) {
        udp.shutdown(grace);
        dispatcher.close();
    }

    /** {@link #shutdown} with no grace: running transfers are cut off at once. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
