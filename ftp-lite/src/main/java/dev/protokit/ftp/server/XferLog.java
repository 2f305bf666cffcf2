package dev.protokit.ftp.server;

import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One wu-ftpd/vsftpd style xferlog line per file transfer, on the logger named {@code xferlog}
 * so operators can route it to its own file:
 *
 * <pre>
 * Sun Nov 23 22:48:17 2026 1 192.0.2.7 1048576 /pub/file.bin b _ o a anonymous ftp 0 * c
 * time                     secs host  bytes    path          type action direction access user service auth id status
 * </pre>
 * type a/b (ASCII/binary), direction o/i (outgoing/incoming), access a/r (anonymous/real),
 * status c/i (complete/incomplete). Spaces and control characters in the path become '_'.
 */
final class XferLog {
    private static final Logger LOG = LoggerFactory.getLogger("xferlog");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

    private XferLog() {}

    static void log(InetAddress peer, String path, long bytes, Duration took, boolean ascii, boolean incoming,
                    SessionState.Account account, boolean complete) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.info("{} {} {} {} {} {} _ {} {} {} ftp 0 * {}",
                TIME.format(ZonedDateTime.now(ZoneId.systemDefault())),
                Math.max(1, (took.toMillis() + 500) / 1000),
                peer.getHostAddress(), bytes, sanitize(path), ascii ? 'a' : 'b',
                incoming ? 'i' : 'o', account.anonymous() ? 'a' : 'r', account.name(), complete ? 'c' : 'i');
    }

    static String sanitize(String path) {
        var sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            sb.append(c <= ' ' || c == 0x7F ? '_' : c);
        }
        return sb.toString();
    }
}
