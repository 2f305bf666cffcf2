package dev.protokit.ftp.server;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.daemon.Watchdog;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.LoggerFactory;

/**
 * What all sessions of one server share: the configuration, login throttles, per-user rate
 * buckets, the passive port range and the watchdog that aborts stalled transfers. Thread-safe.
 */
final class ServerContext implements AutoCloseable {
    final FtpServerConfig config;
    final FailureThrottle<InetAddress> addressFailures;
    final FailureThrottle<String> userFailures;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Set<Transfer> transfers = ConcurrentHashMap.newKeySet();
    private final Set<ControlChannel> controls = ConcurrentHashMap.newKeySet();
    private final Watchdog watchdog;
    /** The hidden upload parts: claims of running uploads, and the sweeper of stale ones. */
    final UploadParts parts = new UploadParts();
    private final Thread sweeper;
    /** Each peer address's share of the passive port range. */
    private final AddressLimiter passiveShares;

    ServerContext(FtpServerConfig config) {
        this.config = config;
        this.addressFailures = new FailureThrottle<>(config.addressThrottle());
        this.userFailures = new FailureThrottle<>(config.userThrottle());
        long period = Math.max(10, Math.min(1000, config.dataTimeout().toMillis() / 4));
        this.watchdog = Watchdog.start("ftp-watchdog", Duration.ofMillis(period), this::checkStalls,
                LoggerFactory.getLogger(ServerContext.class));
        this.sweeper = Thread.ofVirtual().name("upload-sweep").start(this::sweepParts);
        this.passiveShares = new AddressLimiter(new ConnectionLimits(Integer.MAX_VALUE, passivePortsPerAddress(config.passivePorts())));
    }

    /**
     * At start-up, deletes the one-off temporaries and expired parts a crash or kill left under
     * the served trees; then again every half of {@code --upload-part-max-age} (at most hourly).
     */
    private void sweepParts() {
        Duration maxAge = config.uploadPartMaxAge();
        Duration every = maxAge.dividedBy(2).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : maxAge.dividedBy(2);
        boolean startup = true;
        try {
            while (true) {
                parts.sweep(config.root(), maxAge, startup);
                if (!config.anonymousRoot().startsWith(config.root())) {
                    parts.sweep(config.anonymousRoot(), maxAge, startup);
                }
                startup = false;
                Thread.sleep(every.isZero() ? Duration.ofSeconds(1) : every);
            }
        } catch (InterruptedException e) {
            // the server is closing
        }
    }

    /** The rate bucket for {@code user}, shared by all of that user's sessions, if limited. */
    Optional<TokenBucket> bucket(String user, OptionalLong userRate) {
        OptionalLong rate = userRate.isPresent() ? userRate : config.defaultRate();
        if (rate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(buckets.computeIfAbsent(user + "/" + rate.getAsLong(), k -> new TokenBucket(rate.getAsLong())));
    }

    /**
     * A passive listener on {@code local} (the control connection's address) on a free port of
     * the configured range, trying ports from a random start so concurrent sessions rarely collide.
     * One {@code peer} address holds at most a quarter of a {@code --passive-ports} range at once:
     * else its sessions, each PASV and never connecting, took every port and no one else could
     * transfer until they ended.
     */
    DataRoute.Passive openPassive(InetAddress local, InetAddress peer) {
        AddressLimiter.Permit permit = passiveShares.tryAcquire(peer).orElseThrow(() -> new FtpException(
                ReplyCode.CANNOT_OPEN_DATA, "Too many passive ports held from your address; try again later."));
        try {
            return new DataRoute.Passive(bindPassive(local), peer, permit);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** Passive ports one address may hold at once: a quarter of a configured range (at least 1). */
    static int passivePortsPerAddress(FtpServerConfig.PortRange range) {
        return range.first() == 0 ? Integer.MAX_VALUE : Math.max(1, range.size() / 4);
    }

    private ServerSocketChannel bindPassive(InetAddress local) {
        FtpServerConfig.PortRange range = config.passivePorts();
        int size = range.size();
        int start = range.first() == 0 ? 0 : ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < (range.first() == 0 ? 1 : size); i++) {
            int port = range.first() == 0 ? 0 : range.first() + (start + i) % size;
            ServerSocketChannel channel = null;
            try {
                channel = ServerSocketChannel.open();
                channel.bind(new InetSocketAddress(local, port), 4);
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
        throw new FtpException(ReplyCode.CANNOT_OPEN_DATA, "No passive port available; try again later.");
    }

    void register(Transfer transfer) {
        transfers.add(transfer);
    }

    void unregister(Transfer transfer) {
        transfers.remove(transfer);
    }

    void register(ControlChannel control) {
        controls.add(control);
    }

    void unregister(ControlChannel control) {
        controls.remove(control);
    }

    private void checkStalls() {
        long now = System.nanoTime();
        for (Transfer t : transfers) {
            t.abortIfStalled(now);
        }
        Duration writeLimit = config.idleTimeout().isZero() ? config.dataTimeout() : config.idleTimeout();
        for (ControlChannel c : controls) {
            c.closeIfWriteStuck(now, writeLimit);
        }
    }

    Duration dataTimeout() {
        return config.dataTimeout();
    }

    @Override
    public void close() {
        sweeper.interrupt();
        watchdog.close();
        transfers.forEach(Transfer::abort);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // trying the next port
            }
        }
    }
}
