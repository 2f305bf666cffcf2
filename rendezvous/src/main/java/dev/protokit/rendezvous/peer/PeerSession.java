package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerFrame;
import dev.protokit.rendezvous.wire.PeerFrameCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import dev.protokit.rendezvous.wire.PeerSealed;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One authenticated, encrypted, reliable conversation with the other peer: the J-PAKE
 * handshake, then every frame of a {@link ReliableChannel} sealed by a {@link DatagramCipher}.
 * The caller feeds it decoded datagrams from any path ({@link #onPacket}) and gives it a way
 * to send ({@code link}, which may switch between direct and relayed paths underneath);
 * a virtual timer thread runs the handshake's and the channel's timers.
 *
 * <p>Threads: the socket's reader calls {@link #onPacket}; the application calls
 * {@link #send}, {@link #receive} and {@link #close}; the timer thread ticks. All state is
 * guarded by one {@link ReentrantLock} (never {@code synchronized}); sends on the datagram
 * socket do not block for long and are made under it so datagrams leave in sequence order.
 */
public final class PeerSession implements AutoCloseable {
    private static final Duration HANDSHAKE_FIRST_RETRY = Duration.ofMillis(400);
    private static final Duration HANDSHAKE_MAX_RETRY = Duration.ofSeconds(3);
    private static final int EARLY_SEALED = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PakeHandshake handshake;
    private final ChannelConfig config;
    private final Consumer<ByteBuffer> link;
    private final Duration handshakeTimeout;
    private final Deque<PeerSealed> early = new ArrayDeque<>();
    private final Thread timer;
    private long started;
    private DatagramCipher cipher;
    private ReliableChannel channel;
    private PeerException failure;
    private long handshakeRetry = HANDSHAKE_FIRST_RETRY.toNanos();
    private long nextHandshakeSend;
    private long dropped;
    private volatile boolean stopped;

    /**
     * Starts the handshake for {@code code}, sending through {@code link}.
     *
     * @param handshakeTimeout how long the other peer has to complete the key exchange
     */
    public PeerSession(SessionCode code, ChannelConfig config, Consumer<ByteBuffer> link,
                       Duration handshakeTimeout, SecureRandom random) {
        this.handshake = new PakeHandshake(Objects.requireNonNull(code, "code"), random);
        this.config = Objects.requireNonNull(config, "config");
        this.link = Objects.requireNonNull(link, "link");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        this.timer = Thread.ofVirtual().name("rdv-peer-timer").unstarted(this::runTimers);
    }

    /** Sends the first handshake flight and starts the timers. */
    public void start() {
        lock.lock();
        try {
            started = System.nanoTime();
            sendAll(handshake.flight());
            nextHandshakeSend = started + handshakeRetry;
        } finally {
            lock.unlock();
        }
        timer.start();
    }

    /** Handles one datagram from the other peer (probes are the path layer's, and ignored here). */
    public void onPacket(PeerPacket packet) {
        lock.lock();
        try {
            long now = System.nanoTime();
            switch (packet) {
                case PeerProbe p -> { }
                case PeerSealed s -> {
                    if (channel == null) {
                        if (early.size() < EARLY_SEALED) {
                            early.add(s);
                        }
                    } else {
                        openAndReceive(s, now);
                    }
                }
                default -> onHandshake(packet, now);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onHandshake(PeerPacket packet, long now) {
        if (failure != null) {
            return;
        }
        try {
            sendAll(handshake.receive(packet));
        } catch (PeerException e) {
            if (e.error() == PeerError.WRONG_CODE || e.error() == PeerError.HANDSHAKE) {
                sendAll(List.of(handshake.abort(e.error())));
            }
            failure = e;
            return;
        }
        if (channel == null && handshake.state() == PakeHandshake.State.ESTABLISHED) {
            TrafficKeys keys = handshake.keys();
            cipher = new DatagramCipher(keys);
            keys.destroy();
            channel = new ReliableChannel(config, this::sendFrame, now);
            for (PeerSealed s = early.poll(); s != null; s = early.poll()) {
                openAndReceive(s, now);
            }
        }
    }

    private void openAndReceive(PeerSealed sealed, long now) {
        PeerFrame frame;
        try {
            frame = PeerFrameCodec.decode(cipher.open(sealed));
        } catch (PeerException e) {
            dropped++;
            return;
        }
        channel.receive(frame, now);
    }

    private void sendFrame(PeerFrame frame) {
        link.accept(ByteBuffer.wrap(PeerCodec.toBytes(cipher.seal(PeerFrameCodec.encode(frame)))));
    }

    private void sendAll(List<PeerPacket> packets) {
        for (PeerPacket p : packets) {
            link.accept(ByteBuffer.wrap(PeerCodec.toBytes(p)));
        }
    }

    /** Waits until the keys are agreed; false on timeout. @throws PeerException if the exchange failed */
    public boolean awaitEstablished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (channel == null) {
                throwIfFailed();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sends one message reliably, waiting while the send queue is full. */
    public void send(ByteBuffer message) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                throwIfFailed();
                if (channel != null && channel.canSend()) {
                    channel.send(message, System.nanoTime());
                    changed.signalAll();
                    return;
                }
                if (channel != null && channel.state() != ReliableChannel.State.OPEN) {
                    throw new PeerException(PeerError.CLOSED, "CLOSED the channel is " + channel.state());
                }
                changed.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message, waiting up to {@code timeout}; empty on timeout or once the other peer
     * said goodbye and everything it sent was read.
     */
    public Optional<ByteBuffer> receive(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                throwIfFailed();
                if (channel != null) {
                    Optional<ByteBuffer> next = channel.poll(System.nanoTime());
                    if (next.isPresent() || channel.peerClosed()) {
                        return next;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the other peer said goodbye. */
    public boolean peerClosed() {
        lock.lock();
        try {
            return channel != null && channel.peerClosed();
        } finally {
            lock.unlock();
        }
    }

    /** The measured round trip, once known. */
    public Optional<Duration> rtt() {
        lock.lock();
        try {
            return channel == null ? Optional.empty() : channel.rtt();
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams dropped as unauthentic, replayed or malformed. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Says goodbye once everything sent is acknowledged, waiting up to {@code timeout}. */
    public void goodbye(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (channel == null) {
                return;
            }
            channel.close(System.nanoTime());
            changed.signalAll();
            while (channel.state() == ReliableChannel.State.CLOSING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the timers. Does not say goodbye: call {@link #goodbye} first. */
    @Override
    public void close() {
        // Not an interrupt: the timer may be inside a send on the peer's socket, which an
        // interrupt would close (see Halt).
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
        if (channel != null && channel.state() == ReliableChannel.State.FAILED) {
            throw channel.failure().orElseThrow();
        }
    }

    private void runTimers() {
        lock.lock();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                long wake;
                if (failure != null) {
                    wake = Long.MAX_VALUE;
                } else if (channel == null) {
                    if (now - started >= handshakeTimeout.toNanos()) {
                        failure = new PeerException(PeerError.TIMEOUT, "TIMEOUT the other peer did not complete"
                                + " the key exchange within " + handshakeTimeout.toSeconds() + " s");
                        changed.signalAll();
                        continue;
                    }
                    if (now >= nextHandshakeSend) {
                        sendAll(handshake.flight());
                        handshakeRetry = Math.min(handshakeRetry * 2, HANDSHAKE_MAX_RETRY.toNanos());
                        nextHandshakeSend = now + handshakeRetry;
                    }
                    wake = Math.min(nextHandshakeSend, started + handshakeTimeout.toNanos());
                } else {
                    channel.tick(now);
                    changed.signalAll();
                    wake = channel.nextDeadline(now);
                }
                long wait = wake == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : Math.max(wake - now, 1_000_000L);
                changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
