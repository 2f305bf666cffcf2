package dev.protokit.common.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WatchdogTest {
    @Test
    void keepsCheckingAfterACheckThrows() {
        var runs = new AtomicInteger();
        try (var watchdog = Watchdog.start("test-watchdog", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("check " + runs.get() + " failed");
            }
        }, LoggerFactory.getLogger(WatchdogTest.class))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 6);
        }
    }

    @Test
    void stopsWhenClosed() {
        var watchdog = Watchdog.start("test-watchdog", Duration.ofMillis(10), () -> { }, LoggerFactory.getLogger(WatchdogTest.class));
        watchdog.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !watchdog.isRunning());
        assertFalse(watchdog.isRunning());
    }
}
