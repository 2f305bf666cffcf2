package dev.protokit.ftp.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * FTP reply codes (RFC 959 section 4.2, RFC 2228 section 5, RFC 2428, RFC 3659, RFC 4217), each
 * with the three-digit value that goes on the wire and a default text. The first digit says how
 * the command went (1 preliminary, 2 done, 3 more needed, 4 transient failure, 5 permanent).
 */
public enum ReplyCode {
    FILE_STATUS_OK(150, "File status okay; about to open data connection."),
    COMMAND_OK(200, "Command okay."),
    SUPERFLUOUS(202, "Command not implemented, superfluous at this site."),
    SYSTEM_STATUS(211, "System status."),
    FILE_STATUS(213, "File status."),
    HELP(214, "Help message."),
    SYSTEM_TYPE(215, "UNIX Type: L8"),
    SERVICE_READY(220, "Service ready."),
    CLOSING_CONTROL(221, "Goodbye."),
    NO_TRANSFER(225, "Data connection open; no transfer in progress."),
    CLOSING_DATA(226, "Closing data connection."),
    PASSIVE(227, "Entering Passive Mode."),
    EXTENDED_PASSIVE(229, "Entering Extended Passive Mode."),
    LOGGED_IN(230, "User logged in, proceed."),
    SECURITY_EXCHANGE_DONE(234, "Security data exchange complete."),
    FILE_ACTION_OK(250, "Requested file action okay, completed."),
    PATH_CREATED(257, "Pathname created."),
    NEED_PASSWORD(331, "User name okay, need password."),
    PENDING(350, "Requested file action pending further information."),
    SERVICE_NOT_AVAILABLE(421, "Service not available, closing control connection."),
    CANNOT_OPEN_DATA(425, "Can't open data connection."),
    TRANSFER_ABORTED(426, "Connection closed; transfer aborted."),
    FILE_BUSY(450, "Requested file action not taken."),
    LOCAL_ERROR(451, "Requested action aborted: local error in processing."),
    INSUFFICIENT_STORAGE(452, "Requested action not taken. Insufficient storage space in system."),
    SYNTAX_ERROR(500, "Syntax error, command unrecognized."),
    ARGUMENT_ERROR(501, "Syntax error in parameters or arguments."),
    NOT_IMPLEMENTED(502, "Command not implemented."),
    BAD_SEQUENCE(503, "Bad sequence of commands."),
    PARAMETER_NOT_IMPLEMENTED(504, "Command not implemented for that parameter."),
    /** RFC 4217: the data connection cannot be used with the current PROT setting. */
    PROTECTION_REQUIRED(521, "Data connection cannot be opened with this PROT setting."),
    /** RFC 2428 section 2 (EPRT, EPSV network protocol); vsftpd also uses it for TLS data refusals. */
    NETWORK_PROTOCOL_NOT_SUPPORTED(522, "Network protocol not supported, use (1,2)."),
    NOT_LOGGED_IN(530, "Not logged in."),
    /** RFC 2228 section 5: refused by security policy. */
    POLICY_DENIED(534, "Request denied for policy reasons."),
    /** RFC 2228 section 5: PROT level not supported. */
    PROT_LEVEL_NOT_SUPPORTED(536, "Requested PROT level not supported by mechanism."),
    FILE_UNAVAILABLE(550, "Requested action not taken. File unavailable."),
    EXCEEDED_STORAGE(552, "Requested file action aborted. Exceeded storage allocation."),
    FILE_NAME_NOT_ALLOWED(553, "Requested action not taken. File name not allowed."),
    /** RFC 3659 section 5.5: invalid REST parameter. */
    INVALID_REST(554, "Requested action not taken: invalid REST parameter.");

    private static final Map<Integer, ReplyCode> BY_VALUE = index();

    private final int value;
    private final String defaultText;

    ReplyCode(int value, String defaultText) {
        this.value = value;
        this.defaultText = defaultText;
    }

    /** The three-digit code sent on the wire. */
    public int value() {
        return value;
    }

    /** The text used when a reply gives none of its own. */
    public String defaultText() {
        return defaultText;
    }

    /** True for 1yz replies, after which another reply to the same command follows. */
    public boolean isPreliminary() {
        return value < 200;
    }

    /** True for 4yz and 5yz replies. */
    public boolean isFailure() {
        return value >= 400;
    }

    /** The code with wire value {@code value}, if it is one of these. */
    public static Optional<ReplyCode> of(int value) {
        return Optional.ofNullable(BY_VALUE.get(value));
    }

    private static Map<Integer, ReplyCode> index() {
        var map = new HashMap<Integer, ReplyCode>();
        for (ReplyCode code : values()) {
            if (code.value < 100 || code.value > 599) {
                throw new ExceptionInInitializerError("reply code out of range: " + code);
            }
            ReplyCode previous = map.put(code.value, code);
            if (previous != null) {
                throw new ExceptionInInitializerError("duplicate reply code " + code.value + ": "
                        + previous + " and " + code);
            }
        }
        return Map.copyOf(map);
    }

    @Override
    public String toString() {
        return name() + "(" + value + ")";
    }

}
