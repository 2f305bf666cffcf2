package dev.protokit.tftp.server;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.Binder;
import dev.protokit.common.daemon.RequestRate;
import dev.protokit.common.daemon.UdpListener;
import dev.protokit.tftp.server.RequestDispatcher.Drop;
import dev.protokit.tftp.server.RequestDispatcher.Reply;
import dev.protokit.tftp.server.RequestDispatcher.Start;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A running TFTP server: one listening socket read by a {@link UdpListener} thread that hands
 * each datagram to the {@link RequestDispatcher}, and one virtual thread with its own socket
 * per admitted transfer. Tests start it in-process on port 0; {@link TftpServerMain} wraps it
 * as a daemon. See CONCURRENCY.md beside the pom for threads, shared state and shutdown.
 */
public final class TftpServer implements AutoCloseable {
    private static final Duration WATCHDOG_PERIOD = Duration.ofSeconds(1);

    private final TftpServerConfig config;
    private final DatagramChannel listenSocket;
    private final InetAddress transferAddress;
    private final RequestDispatcher dispatcher;
    private final AddressLimiter limiter;
    /** Running transfers by client TID, so a retransmitted request does not start a second one. */
    private final ConcurrentHashMap<InetSocketAddress, Transfer> running = new ConcurrentHashMap<>();
    private final ExecutorService transfers;
    private final UdpListener listener;
    /** No progress for this long (longer than the engine's whole retry budget) cuts a transfer off. */
    private final long stallLimitNanos;
    private final Thread watchdog;

    private TftpServer(TftpServerConfig config, DatagramChannel socket) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.listenSocket = socket;
        socket.configureBlocking(true);
        this.transferAddress = ((InetSocketAddress) socket.getLocalAddress()).getAddress();
        this.limiter = new AddressLimiter(config.limits());
        this.transfers = Executors.newThreadPerTaskExecutor(switch (config.threads()) {
            case VIRTUAL -> Thread.ofVirtual().name("tftp-transfer-", 0).factory();
            case PLATFORM -> Thread.ofPlatform().name("tftp-transfer-", 0).daemon().factory();
        });
        this.dispatcher = new RequestDispatcher(config, limiter, running::containsKey,
                new RequestRate(RequestRate.Policy.defaults()));
        this.stallLimitNanos = config.timeout().toNanos() * 8 * (config.retries() + 2L);
        this.listener = UdpListener.start("tftp-server", socket, TftpCodec.MAX_REQUEST_LENGTH, this::onPacket);
        this.watchdog = Thread.ofVirtual().name("tftp-watchdog").start(this::watch);
    }

    /** Once a second, cuts off transfers that made no progress for longer than any retry budget. */
    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(WATCHDOG_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            running.forEach((peer, transfer) -> {
                if (transfer.cutOffIfStalled(now, stallLimitNanos)) {
                    TransferLog.stalled(peer, Duration.ofNanos(stallLimitNanos));
                }
            });
        }
    }

    /**
     * Binds {@code listen} (port 0 picks a free port) and starts serving.
     *
     * @throws dev.protokit.common.daemon.StartupException when the address cannot be bound
     */
    public static TftpServer start(TftpServerConfig config, InetSocketAddress listen) throws IOException {
        return start(config, Binder.bindUdp(listen, "tftp-server"));
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
        return listener.localAddress();
    }

    /** The listening port. */
    public int port() {
        return localAddress().getPort();
    }

    /** Transfers in progress now. */
    public int activeTransfers() {
        return running.size();
    }

    /** The configuration this server runs with. */
    public TftpServerConfig config() {
        return config;
    }

    private void onPacket(InetSocketAddress from, ByteBuffer datagram) throws IOException {
        switch (dispatcher.dispatch(from, datagram)) {
            case Drop(String reason) -> TransferLog.dropped(from, reason);
            case Reply(TftpError error, String reason) -> {
                listenSocket.send(TftpCodec.encode(error), from);
                TransferLog.refused(from, reason);
            }
            case Start(TransferPlan plan) -> start(plan);
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
            listenSocket.send(TftpCodec.encode(new TftpError(ErrorCode.NOT_DEFINED, RequestDispatcher.BUSY)), plan.peer());
            TransferLog.refused(plan.peer(), "busy (no free port in " + config.portRange() + ")");
            return;
        }
        Transfer transfer = new Transfer(plan, config, socket.get(), t -> running.remove(plan.peer(), t));
        running.put(plan.peer(), transfer);
        try {
            transfers.execute(transfer);
        } catch (RuntimeException e) { // rejected: we are shutting down
            running.remove(plan.peer(), transfer);
            plan.permit().close();
            socket.get().close();
        }
    }

    /**
     * Stops in three steps: closes the listening socket (no new transfers), lets running
     * transfers finish for up to {@code grace}, then closes the sockets of the rest (their
     * engines fail at once) and interrupts them. Restores the interrupt flag if interrupted.
     */
    public void shutdown(Duration grace) {
        listener.close();
        watchdog.interrupt();
        transfers.shutdown();
        try {
            if (!transfers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                force();
                transfers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            force();
            Thread.currentThread().interrupt();
        }
    }

    private void force() {
        running.values().forEach(Transfer::cutOff);
        transfers.shutdownNow();
    }

    /** {@link #shutdown} with no grace: running transfers are cut off at once. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
