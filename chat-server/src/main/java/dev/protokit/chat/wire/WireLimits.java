package dev.protokit.chat.wire;

/**
 * The sizes {@code protokit-chat/1} fixes for every implementation; a value beyond one is
 * refused by the codec ({@link ErrorCode#TOO_LARGE} or {@link ErrorCode#BAD_NAME}) before the
 * message reaches the server or the client. Attachment sizes are the server's to set and are
 * announced in {@code welcome}.
 */
public final class WireLimits {
    /** Longest message text or topic, in UTF-8 bytes (an IRC line carries about 400). */
    public static final int MAX_TEXT_BYTES = 2048;
    /** Longest room or account name, in characters. */
    public static final int MAX_NAME_CHARS = 64;
    /** Longest client correlation token {@code ref}, in characters. */
    public static final int MAX_REF_CHARS = 64;
    /** Longest part, quit, kick or away reason, in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 400;
    /** Longest attachment file name, in UTF-8 bytes. */
    public static final int MAX_FILE_NAME_BYTES = 255;
    /** Longest attachment media type, in characters. */
    public static final int MAX_MEDIA_TYPE_CHARS = 127;
    /** Most messages one history page may hold. */
    public static final int MAX_HISTORY_PAGE = 100;
    /** Largest header a server accepts from a client: client messages are small. */
    public static final int MAX_CLIENT_HEADER_BYTES = 16 * 1024;
    /** Largest header a client accepts from the server (member lists, history pages). */
    public static final int MAX_SERVER_HEADER_BYTES = 1024 * 1024;

    private WireLimits() {
    }
}
