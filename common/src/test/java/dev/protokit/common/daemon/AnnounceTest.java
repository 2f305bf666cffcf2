package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class AnnounceTest {

    @Test
    void measuresTimeSinceProcessStartToWithinTheJvmUptime() {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long since = Announce.sinceProcessStart();
        // The process started a little before the JVM's clock did, never after and never a second off.
        assertTrue(since >= uptime - 50 && since <= uptime + 500, "since start " + since + " ms, JVM uptime " + uptime + " ms");
    }
}
