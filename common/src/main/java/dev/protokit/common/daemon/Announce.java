package dev.protokit.common.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The one "listening" line every daemon logs when it is ready. Scripts and tests read the port
 * from it, so its shape is fixed: {@code NAME VERSION listening on PROTO ADDRESS port N}, then
 * the time since the process started, for operators watching start-up time.
 */
public final class Announce {
    private Announce() {}

    private static long sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }

    /** Logs that {@code name} listens on {@code local} over {@code protocol} ("tcp", "udp"). */
    public static void listening(Logger log, String name, String protocol, InetSocketAddress local) {
        String host = local.getAddress() == null ? local.getHostString() : local.getAddress().getHostAddress();
        log.info("{} {} listening on {} {} port {} (started in {} ms)",
                name, Version.current(), protocol, host, local.getPort(), sinceProcessStart());
    }
}
