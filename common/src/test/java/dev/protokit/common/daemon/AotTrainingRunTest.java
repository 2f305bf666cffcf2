package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AotTrainingRunTest {

    @Test
    void freePortsAreDistinctAndBindable() throws Exception {
        int[] ports = AotTrainingRun.freePorts(3);
        assertEquals(3, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
        for (int port : ports) {
            try (var s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, s.getLocalPort());
            }
        }
    }

    @Test
    void awaitListeningSeesAListenerAndGivesUpWhenTheServerThreadEnded() throws Exception {
        var stop = new CountDownLatch(1);
        Thread alive = Thread.ofVirtual().start(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(AotTrainingRun.awaitListening(listener.getLocalPort(), alive));
        }
        stop.countDown();
        alive.join();
        int closed = AotTrainingRun.freePorts(1)[0];
        long t0 = System.nanoTime();
        assertFalse(AotTrainingRun.awaitListening(closed, alive));
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "a dead server thread is not waited for");
    }
}
