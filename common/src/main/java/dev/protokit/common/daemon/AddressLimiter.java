package dev.protokit.common.daemon;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts sessions in progress overall and per peer address, and refuses new ones past the
 * {@link ConnectionLimits}. IPv6 peers are counted per /64 ({@link Addresses#limitKey}). Lock-free: an atomic total and a concurrent map whose entries are
 * removed when an address has no session left, so memory follows the live sessions only.
 */
public final class AddressLimiter {
    private final ConnectionLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /** A limiter enforcing {@code limits}. */
    public AddressLimiter(ConnectionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The outcome of {@link #admit}: a permit to hold for the session, or the limit that refused it. */
    public sealed interface Admission permits Admitted, Refused {}

    /** The session may go ahead; close the permit when it ends. */
    public record Admitted(Permit permit) implements Admission {}

    /** The session is refused because of {@code rejection}. */
    public record Refused(Rejection rejection) implements Admission {}

    /** Tries to admit one more session from {@code address}. */
    public Admission admit(InetAddress peer) {
        InetAddress address = Addresses.limitKey(Objects.requireNonNull(peer, "peer"));
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            return new Refused(Rejection.TOO_MANY_SESSIONS);
        }
        var refused = new AtomicBoolean();
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.maxPerAddress()) {
                refused.set(true);
                return n;
            }
            return count + 1;
        });
        if (refused.get()) {
            total.decrementAndGet();
            return new Refused(Rejection.TOO_MANY_FROM_ADDRESS);
        }
        return new Admitted(new Permit(address));
    }

    /** Like {@link #admit} for callers that do not care which limit refused. */
    public Optional<Permit> tryAcquire(InetAddress address) {
        return admit(address) instanceof Admitted(Permit permit) ? Optional.of(permit) : Optional.empty();
    }

    /** Sessions in progress now. */
    public int active() {
        return total.get();
    }

    /** Sessions in progress now from {@code peer}'s address (its /64 for IPv6). */
    public int active(InetAddress peer) {
        return perAddress.getOrDefault(Addresses.limitKey(peer), 0);
    }

    /** One admitted session; closing it (once, idempotently) frees its place. */
    public final class Permit implements AutoCloseable {
        private final InetAddress address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(InetAddress address) {
            this.address = address;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
                total.decrementAndGet();
            }
        }
    }
}
