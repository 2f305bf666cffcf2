package dev.protokit.rendezvous.peer;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a TURN allocation usable for as long as a chat or a transfer runs through it (RFC 8656):
 * a Refresh at half the lifetime the relay granted (section 7.2; the answer's LIFETIME is the
 * next one), CreatePermission again before the 5 minutes a permission lasts (section 9), and
 * ChannelBind again before the 10 minutes a binding lasts (section 12), whether or not the
 * first binding's answer arrived. Each of the three runs on its own schedule. A renewal that
 * fails (the relay silent for the request's 7.6 s of retransmissions, an error answer) is
 * retried after {@link Schedule#retry()} instead of ending the loop: a relayed session must not
 * lose its permissions for good five minutes after one bad moment. Only the relay saying the
 * allocation is gone (437, Allocation Mismatch) ends it.
 *
 * <p>Runs on its own virtual thread until its {@link Halt} is halted ({@link TurnClient#close()}),
 * never interrupted: it sends on the peer's shared socket.
 */
final class TurnRenewal implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TurnRenewal.class);
    private static final int ALLOCATION_MISMATCH = 437;

    /**
     * How often to renew what the relay grants.
     *
     * @param permissions CreatePermission every this long (permissions last 5 minutes)
     * @param channel     ChannelBind every this long (bindings last 10 minutes)
     * @param retry       how soon a failed renewal is tried again
     */
    record Schedule(Duration permissions, Duration channel, Duration retry) {
        /** RFC 8656's lifetimes with a minute or more to spare, retried every 15 s. */
        static final Schedule RFC_8656 = new Schedule(Duration.ofMinutes(4), Duration.ofMinutes(8), Duration.ofSeconds(15));

        Schedule {
            for (Duration d : new Duration[] {permissions, channel, retry}) {
                if (!Objects.requireNonNull(d, "duration").isPositive()) {
                    throw new IllegalArgumentException("renewal intervals must be positive, got " + d);
                }
            }
        }
    }

    private final TurnClient turn;
    private final Schedule schedule;
    private final Halt halt;
    private Duration lifetime;

    TurnRenewal(TurnClient turn, Schedule schedule, Duration granted, Halt halt) {
        this.halt = Objects.requireNonNull(halt, "halt");
        this.turn = Objects.requireNonNull(turn, "turn");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.lifetime = Objects.requireNonNull(granted, "granted");
    }

    /** Half the lifetime, at least a second, so a lost first Refresh still has the other half. */
    static Duration refreshAfter(Duration lifetime) {
        Duration half = lifetime.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        long allocationDue = now + refreshAfter(lifetime).toNanos();
        long permissionsDue = now + schedule.permissions().toNanos();
        long channelDue = now + schedule.channel().toNanos();
        try {
            while (!halt.halted()) {
                long next = Math.min(allocationDue, Math.min(permissionsDue, channelDue));
                long wait = next - System.nanoTime();
                if (wait > 0 && halt.await(Duration.ofNanos(wait))) {
                    return;
                }
                now = System.nanoTime();
                if (now - allocationDue >= 0) {
                    allocationDue = renewAllocation();
                }
                if (now - permissionsDue >= 0) {
                    permissionsDue = renew("CreatePermission", () -> turn.refreshPermissions(), schedule.permissions());
                }
                if (now - channelDue >= 0) {
                    // Before a Data indication named the other peer there is nothing to bind yet.
                    channelDue = renew("ChannelBind", () -> turn.rebindChannel(), schedule.channel());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TurnClient.Refused e) {
            LOG.debug("TURN allocation gone, renewal stops: {}", e.getMessage());
        }
    }

    private long renewAllocation() throws InterruptedException, TurnClient.Refused {
        return renew("Refresh", () -> lifetime = turn.refreshAllocation(lifetime), refreshAfter(lifetime));
    }

    /** One renewal; returns when the next is due (sooner when this one failed). */
    private long renew(String what, Renewal renewal, Duration every) throws InterruptedException, TurnClient.Refused {
        try {
            renewal.run();
            return System.nanoTime() + every.toNanos();
        } catch (TurnClient.Refused e) {
            if (e.code() == ALLOCATION_MISMATCH) {
                throw e;
            }
            LOG.debug("TURN {} failed, retrying in {}: {}", what, schedule.retry(), e.getMessage());
        } catch (IOException e) {
            LOG.debug("TURN {} failed, retrying in {}: {}", what, schedule.retry(), e.getMessage());
        }
        Duration retry = schedule.retry().compareTo(every) < 0 ? schedule.retry() : every;
        return System.nanoTime() + retry.toNanos();
    }

    @FunctionalInterface
    private interface Renewal {
        void run() throws IOException, InterruptedException;
    }
}
