package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerFrame;
import dev.protokit.rendezvous.wire.PeerFrameCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Two {@link ReliableChannel}s joined by a scripted link on a virtual clock (no sleeps, no
 * threads): each frame goes through the codec, then is dropped, duplicated or delayed (so
 * reordered) by a seeded random script or an explicit filter, and the loop advances the clock
 * straight to the next delivery or timer.
 */
final class LossyLink {
    /** Which way a frame travels. */
    enum Way { A_TO_B, B_TO_A }

    record Sent(Way way, long at, PeerFrame frame) {}

    private record Arrival(long at, long order, Way way, ByteBuffer bytes) {}

    private final PriorityQueue<Arrival> inTransit = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private final Random random;
    private final List<Sent> log = new ArrayList<>();
    final ReliableChannel a;
    final ReliableChannel b;
    long now;
    private long order;
    double drop;
    double duplicate;
    double reorder;
    long delay = Duration.ofMillis(20).toNanos();
    Predicate<Sent> dropIf = s -> false;

    LossyLink(ChannelConfig config, long seed) {
        this.random = new Random(seed);
        this.a = new ReliableChannel(config, f -> transmit(Way.A_TO_B, f), 0);
        this.b = new ReliableChannel(config, f -> transmit(Way.B_TO_A, f), 0);
    }

    List<Sent> log() {
        return log;
    }

    private void transmit(Way way, PeerFrame frame) {
        Sent sent = new Sent(way, now, frame);
        log.add(sent);
        ByteBuffer bytes = PeerFrameCodec.encode(frame);
        if (dropIf.test(sent) || random.nextDouble() < drop) {
            return;
        }
        int copies = random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long extra = random.nextDouble() < reorder ? delay * (1 + random.nextInt(4)) : 0;
            inTransit.add(new Arrival(now + delay + extra, order++, way, bytes.duplicate()));
        }
    }

    /** Runs until {@code done} holds or {@code limit} of virtual time passes; true if done. */
    boolean runUntil(BooleanSupplier done, Duration limit) {
        long end = now + limit.toNanos();
        while (!done.getAsBoolean()) {
            long next = Math.min(a.nextDeadline(now), b.nextDeadline(now));
            Arrival arrival = inTransit.peek();
            if (arrival != null && arrival.at <= next) {
                next = arrival.at;
            }
            if (next > end) {
                now = end;
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            if (arrival != null && arrival.at <= now) {
                inTransit.poll();
                ReliableChannel to = arrival.way == Way.A_TO_B ? b : a;
                to.receive(PeerFrameCodec.decode(arrival.bytes), now);
            } else {
                a.tick(now);
                b.tick(now);
            }
        }
        return true;
    }
}
