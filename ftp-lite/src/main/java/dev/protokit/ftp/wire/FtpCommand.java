package dev.protokit.ftp.wire;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The commands this server implements, with what each needs: an argument or not, whether it is
 * allowed before login, and whether it acts at once while a transfer runs (the rest wait their
 * turn). Sources: RFC 959 section 4.1, RFC 2228 (AUTH, PBSZ, PROT), RFC 2389 (FEAT, OPTS),
 * RFC 2428 (EPRT, EPSV), RFC 3659 (MDTM, SIZE, REST STREAM, MLST, MLSD), RFC 2640 (UTF-8),
 * draft-somers-ftp-mfxx (MFMT).
 */
public enum FtpCommand {
    USER(Argument.REQUIRED, Access.BEFORE_LOGIN),
    PASS(Argument.OPTIONAL, Access.BEFORE_LOGIN),
    AUTH(Argument.REQUIRED, Access.BEFORE_LOGIN),
    PBSZ(Argument.REQUIRED, Access.BEFORE_LOGIN),
    PROT(Argument.REQUIRED, Access.BEFORE_LOGIN),
    FEAT(Argument.NONE, Access.BEFORE_LOGIN),
    SYST(Argument.NONE, Access.BEFORE_LOGIN),
    QUIT(Argument.NONE, Access.ALWAYS),
    NOOP(Argument.NONE, Access.ALWAYS),
    HELP(Argument.OPTIONAL, Access.BEFORE_LOGIN),
    OPTS(Argument.REQUIRED, Access.BEFORE_LOGIN),
    STAT(Argument.OPTIONAL, Access.DURING_TRANSFER),
    ABOR(Argument.NONE, Access.DURING_TRANSFER),
    PWD(Argument.NONE, Access.LOGGED_IN),
    XPWD(Argument.NONE, Access.LOGGED_IN),
    CWD(Argument.REQUIRED, Access.LOGGED_IN),
    XCWD(Argument.REQUIRED, Access.LOGGED_IN),
    CDUP(Argument.NONE, Access.LOGGED_IN),
    XCUP(Argument.NONE, Access.LOGGED_IN),
    MKD(Argument.REQUIRED, Access.LOGGED_IN),
    XMKD(Argument.REQUIRED, Access.LOGGED_IN),
    RMD(Argument.REQUIRED, Access.LOGGED_IN),
    XRMD(Argument.REQUIRED, Access.LOGGED_IN),
    DELE(Argument.REQUIRED, Access.LOGGED_IN),
    RNFR(Argument.REQUIRED, Access.LOGGED_IN),
    RNTO(Argument.REQUIRED, Access.LOGGED_IN),
    TYPE(Argument.REQUIRED, Access.LOGGED_IN),
    MODE(Argument.REQUIRED, Access.LOGGED_IN),
    STRU(Argument.REQUIRED, Access.LOGGED_IN),
    PASV(Argument.NONE, Access.LOGGED_IN),
    EPSV(Argument.OPTIONAL, Access.LOGGED_IN),
    PORT(Argument.REQUIRED, Access.LOGGED_IN),
    EPRT(Argument.REQUIRED, Access.LOGGED_IN),
    LIST(Argument.OPTIONAL, Access.LOGGED_IN),
    NLST(Argument.OPTIONAL, Access.LOGGED_IN),
    MLSD(Argument.OPTIONAL, Access.LOGGED_IN),
    MLST(Argument.OPTIONAL, Access.LOGGED_IN),
    RETR(Argument.REQUIRED, Access.LOGGED_IN),
    STOR(Argument.REQUIRED, Access.LOGGED_IN),
    STOU(Argument.OPTIONAL, Access.LOGGED_IN),
    APPE(Argument.REQUIRED, Access.LOGGED_IN),
    REST(Argument.REQUIRED, Access.LOGGED_IN),
    SIZE(Argument.REQUIRED, Access.LOGGED_IN),
    MDTM(Argument.REQUIRED, Access.LOGGED_IN),
    /** Set a file's modification time (draft-somers-ftp-mfxx), so rclone and ncftp keep timestamps. */
    MFMT(Argument.REQUIRED, Access.LOGGED_IN),
    ALLO(Argument.REQUIRED, Access.LOGGED_IN);

    /** Whether a command takes an argument. */
    public enum Argument { NONE, OPTIONAL, REQUIRED }

    /** When a command may be used. */
    public enum Access {
        /** Allowed before login (and after). */
        BEFORE_LOGIN,
        /** Needs a logged-in user; answered 530 before. */
        LOGGED_IN,
        /** Needs a logged-in user, and acts at once even while a transfer runs (RFC 959 section 4.1.3). */
        DURING_TRANSFER,
        /** Allowed before login, and acts at once while a transfer runs. */
        ALWAYS
    }

    private static final Map<String, FtpCommand> BY_VERB = index();

    private final Argument argument;
    private final Access access;

    FtpCommand(Argument argument, Access access) {
        this.argument = argument;
        this.access = access;
    }

    /** The verb as sent on the wire (upper case). */
    public String verb() {
        return name();
    }

    public Argument argument() {
        return argument;
    }

    /** True if the command may run before USER/PASS succeeded. */
    public boolean allowedBeforeLogin() {
        return access == Access.BEFORE_LOGIN || access == Access.ALWAYS;
    }

    /** True if the command acts immediately while a transfer is running. */
    public boolean actsDuringTransfer() {
        return access == Access.DURING_TRANSFER || access == Access.ALWAYS;
    }

    /** The command named by {@code verb} in any letter case, if implemented. */
    public static Optional<FtpCommand> of(String verb) {
        return Optional.ofNullable(BY_VERB.get(verb.toUpperCase(Locale.ROOT)));
    }

    private static Map<String, FtpCommand> index() {
        var map = new HashMap<String, FtpCommand>();
        for (FtpCommand command : values()) {
            if (map.put(command.verb(), command) != null) {
                throw new ExceptionInInitializerError("duplicate verb " + command.verb());
            }
        }
        return Map.copyOf(map);
    }
}
