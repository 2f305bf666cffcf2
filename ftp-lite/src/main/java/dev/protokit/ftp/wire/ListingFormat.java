package dev.protokit.ftp.wire;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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
     * The MLSx facts this server offers, in the order they are sent: RFC 3659 section 7.5, then
     * {@code UNIX.mode}, the permission bits in octal as ProFTPD and Pure-FTPd send them (an
     * extension fact, section 7.5.6; gftp, lftp and rclone read it).
     */
    public enum Fact {
        TYPE("type"), SIZE("size"), MODIFY("modify"), PERM("perm"), UNIQUE("unique"), UNIX_MODE("UNIX.mode");

        private final String wireName;

        Fact(String wireName) {
            this.wireName = wireName;
        }

        /** The fact name as on the wire, e.g. {@code modify} or {@code UNIX.mode}. */
        public String wireName() {
            return wireName;
        }
    }

    /** The MLSD/MLST line with every fact. */
    public static String factsLine(FileFacts f) {
        return factsLine(f, EnumSet.allOf(Fact.class));
    }

    /**
     * The MLSD/MLST line: the selected facts, a space, the name. RFC 3659 section 7.5: type,
     * size (files only), modify (UTC, section 2.3), perm (section 7.5.5) and unique; then
     * UNIX.mode, the same nine bits LIST shows as {@code rw-r--r--}, as {@code 0644}.
     */
    public static String factsLine(FileFacts f, Set<Fact> selected) {
        var sb = new StringBuilder(96);
        for (Fact fact : selected) {
            switch (fact) {
                case TYPE -> sb.append("type=").append(f.isDirectory() ? "dir" : "file").append(';');
                case SIZE -> {
                    if (!f.isDirectory()) {
                        sb.append("size=").append(f.size()).append(';');
                    }
                }
                case MODIFY -> sb.append("modify=").append(time(f.modified())).append(';');
                case PERM -> sb.append("perm=").append(perm(f)).append(';');
                case UNIQUE -> sb.append("unique=").append(f.unique()).append(';');
                case UNIX_MODE -> sb.append("UNIX.mode=").append(unixMode(f.mode())).append(';');
            }
        }
        return sb.append(' ').append(f.name()).toString();
    }

    /**
     * Parses the argument of {@code OPTS MLST fact;fact;} (RFC 3659 section 7.9): the facts
     * this server knows, in any case; unknown ones are ignored, as the RFC asks.
     */
    public static Set<Fact> parseFactSelection(String list) {
        var selected = EnumSet.noneOf(Fact.class);
        for (String name : list.split(";")) {
            for (Fact fact : Fact.values()) {
                if (fact.wireName().equalsIgnoreCase(name.strip())) {
                    selected.add(fact);
                }
            }
        }
        return selected;
    }

    /** The reply text of OPTS MLST: the facts now selected, e.g. {@code MLST OPTS type;size;}. */
    public static String factSelectionText(Set<Fact> selected) {
        var sb = new StringBuilder("MLST OPTS ");
        selected.forEach(f -> sb.append(f.wireName()).append(';'));
        return sb.toString();
    }

    /** The FEAT line advertising every MLST fact; '*' marks those selected now (RFC 3659 7.8). */
    public static String mlstFeature(Set<Fact> selected) {
        var sb = new StringBuilder("MLST ");
        for (Fact fact : Fact.values()) {
            sb.append(fact.wireName()).append(selected.contains(fact) ? "*;" : ";");
        }
        return sb.toString();
    }

    /** A time as {@code YYYYMMDDHHMMSS} in UTC (RFC 3659 section 2.3), for MDTM and modify. */
    public static String time(Instant instant) {
        return FACT_TIME.format(instant.atZone(ZoneOffset.UTC));
    }

    /**
     * Parses a {@code time-val} (RFC 3659 section 2.3: {@code YYYYMMDDHHMMSS[.sss]}, UTC), as
     * MFMT carries it (draft-somers-ftp-mfxx); the fraction is kept to the millisecond.
     */
    public static Instant parseTime(String text) {
        if (!text.matches("\\d{14}(\\.\\d{1,3})?")) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Time must be YYYYMMDDHHMMSS[.sss] in UTC.");
        }
        try {
            Instant whole = java.time.LocalDateTime.parse(text.substring(0, 14), FACT_TIME).toInstant(ZoneOffset.UTC);
            int millis = text.length() > 15 ? Integer.parseInt((text.substring(15) + "00").substring(0, 3)) : 0;
            return whole.plusMillis(millis);
        } catch (java.time.format.DateTimeParseException e) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "No such time: " + text + ".", e);
        }
    }

    /** {@code rw-r--r--} as {@code 0644}: each letter is one bit, highest first. */
    static String unixMode(String rwx) {
        int bits = 0;
        for (int i = 0; i < rwx.length(); i++) {
            bits = bits << 1 | (rwx.charAt(i) == '-' ? 0 : 1);
        }
        return "%04o".formatted(bits);
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
