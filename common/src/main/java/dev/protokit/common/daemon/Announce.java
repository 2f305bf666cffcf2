package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The one "listening" line every daemon logs when it is ready. Scripts and tests read the port
 * from it, so its shape is fixed: {@code NAME VERSION listening on PROTO ADDRESS port N}, then
 * the time since the process started, for operators watching start-up time.
 */
public final class Announce {
    /** proc(5): field 22 of /proc/PID/stat is the start time in clock ticks since boot. */
    private static final int STARTTIME_FIELD = 22;
    /** sysconf(_SC_CLK_TCK), 100 on every Linux architecture Java runs on. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private Announce() {}

    /**
     * Milliseconds since this process started (the launcher script included), or -1 if unknown.
     * On Linux it compares the start time in {@code /proc/self/stat} (clock ticks since boot)
     * with {@code /proc/uptime}, both to 10 ms; {@link ProcessHandle.Info#startInstant()} is
     * anchored to a boot time with whole-second resolution, off by up to a second.
     */
    static long sinceProcessStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[STARTTIME_FIELD - 3]);
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.round((uptimeSeconds - startTicks / (double) CLOCK_TICKS_PER_SECOND) * 1000);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant()
                    .map(start -> Duration.between(start, Instant.now()).toMillis())
                    .orElse(-1L);
        }
    }

    /** Logs that {@code name} listens on {@code local} over {@code protocol} ("tcp", "udp"). */
    public static void listening(Logger log, String name, String protocol, InetSocketAddress local) {
        String host = local.getAddress() == null ? local.getHostString() : local.getAddress().getHostAddress();
        log.info("{} {} listening on {} {} port {} (started in {} ms)",
                name, Version.current(), protocol, host, local.getPort(), sinceProcessStart());
    }
}
