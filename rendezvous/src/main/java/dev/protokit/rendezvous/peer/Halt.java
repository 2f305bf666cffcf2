package dev.protokit.rendezvous.peer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot request to stop, for the threads that send on the peer's one socket (background
 * punching, the upgrader, the TURN renewals, the session's timers). Those threads are never
 * interrupted: {@link java.nio.channels.DatagramChannel} is an interruptible channel, so
 * interrupting a thread while it is inside {@code send} closes the channel, and with it the
 * socket every path, the relay and the rendezvous server share. Stopping the background punch
 * with an interrupt once the relayed path was found did exactly that in about one relayed
 * connection in fifty: the socket closed under the key exchange, which then timed out on both
 * sides (docs/rendezvous.md, "relay through coturn").
 */
final class Halt {
    private final CountDownLatch halted = new CountDownLatch(1);

    /** Asks the thread to stop at its next check; safe to call twice. */
    void halt() {
        halted.countDown();
    }

    boolean halted() {
        return halted.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the request; true when it came. */
    boolean await(Duration timeout) throws InterruptedException {
        return halted.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
