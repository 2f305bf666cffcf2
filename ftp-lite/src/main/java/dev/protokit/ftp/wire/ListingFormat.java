package dev.protokit.ftp.wire;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats directory entries for LIST (the {@code ls -l} layout every client's parser knows),
 * NLST (names only) and MLSD/MLST (RFC 3659 facts). Times are UTC; "now" is passed in so the
 * output depends on nothing but the arguments.
 *
 * <pre>
 * LIST   drwxr-xr-x   1 ftp      ftp          4096 Mar  5 14:02 docs        within 6 months
 *        -rw-r--r--   1 ftp      ftp       1048576 Mar  5  2021 old.bin     older, or in the future
 * MLSD   type=file;size=1048576;modify=20210305140200;perm=adfrw;unique=803i1a2b; old.bin
 *        facts: name=value;... then one space, then the name (RFC 3659 section 7.2)
 * </pre>
 */
public final class ListingFormat {
    /** ls prints the year instead of the time for entries older than about six months. */
    private static final Duration RECENT = Duration.ofDays(182).plusHours(12);
    /** ...and for entries in the future, allowing for a little clock skew. */
    private static final Duration FUTURE_SLACK = Duration.ofHours(1);
    private static final DateTimeFormatter RECENT_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OLD_TIME = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter FACT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private ListingFormat() {}

    /** One {@code ls -l} line for LIST. */
    public static String listLine(FileFacts f, Instant now) {
        ZonedDateTime t = f.modified().atZone(ZoneOffset.UTC);
        boolean recent = f.modified().isAfter(now.minus(RECENT)) && f.modified().isBefore(now.plus(FUTURE_SLACK));
        String when = (recent ? RECENT_TIME : OLD_TIME).format(t);
        return "%c%s %4d %-8s %-8s %12d %s %s".formatted(
                f.isDirectory() ? 'd' : '-', f.mode(), 1, "ftp", "ftp", f.size(), when, f.name());
    }

    /** The NLST line: the name alone. */
    public static String nameLine(FileFacts f) {
        return f.name();
    }

    /**
     * The MLSD/MLST line: facts, a space, the name. RFC 3659 section 7.5: type, size (files only),
     * modify (UTC, section 2.3), perm (section 7.5.5) and unique.
     */
    public static String factsLine(FileFacts f) {
        var sb = new StringBuilder(96);
        sb.append("type=").append(f.isDirectory() ? "dir" : "file").append(';');
        if (!f.isDirectory()) {
            sb.append("size=").append(f.size()).append(';');
        }
        sb.append("modify=").append(time(f.modified())).append(';');
        sb.append("perm=").append(perm(f)).append(';');
        sb.append("unique=").append(f.unique()).append(';');
        return sb.append(' ').append(f.name()).toString();
    }

    /** The FEAT line advertising MLST facts; '*' marks those sent by default (RFC 3659 7.8). */
    public static String mlstFeature() {
        return "MLST type*;size*;modify*;perm*;unique*;";
    }

    /** A time as {@code YYYYMMDDHHMMSS} in UTC (RFC 3659 section 2.3), for MDTM and modify. */
    public static String time(Instant instant) {
        return FACT_TIME.format(instant.atZone(ZoneOffset.UTC));
    }

    /**
     * The perm fact: for files a (APPE), d (DELE), f (RNFR), r (RETR), w (STOR); for directories
     * c (STOR inside), d (RMD), e (CWD), f (RNFR), l (LIST), m (MKD), p (DELE inside).
     */
    static String perm(FileFacts f) {
        if (f.isDirectory()) {
            return f.writable() ? "cdeflmp" : "el";
        }
        return f.writable() ? "adfrw" : "r";
    }
}
