package dev.protokit.chat.wire;

import java.util.regex.Pattern;

/**
 * An attachment as messages announce it: its unguessable id (128 random bits, base64url without
 * padding: 22 characters), the sender's file name, media type and size in bytes.
 *
 * <pre>
 * "attachment":{"id":"q3Vt0Zk2c8r1Hcq7vLxw9A","name":"notes.txt","media_type":"text/plain","size":1234}
 * </pre>
 */
public record AttachmentInfo(String id, String name, String mediaType, long size) {
    /** Characters in an attachment id. */
    public static final int ID_CHARS = 22;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{" + ID_CHARS + "}");
    /** RFC 6838 section 4.2: type "/" subtype, restricted-name characters; no parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}");

    public AttachmentInfo {
        checkId("attachment", id);
        checkFile("attachment", name, mediaType);
        if (size < 0) {
            throw new ChatWireException(ErrorCode.MALFORMED, "attachment: size " + size + " is negative");
        }
    }

    /** Requires a well-formed attachment id. */
    static String checkId(String type, String id) {
        if (id == null) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": field attachment missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new ChatWireException(ErrorCode.NO_SUCH_ATTACHMENT, type + ": attachment id is not "
                    + ID_CHARS + " base64url characters");
        }
        return id;
    }

    /**
     * Requires a plain file name (no directory part, not {@code .} or {@code ..}, no controls, at
     * most {@link WireLimits#MAX_FILE_NAME_BYTES}) and a bare media type.
     */
    static void checkFile(String type, String name, String mediaType) {
        Strings.nonEmptyText(type, "name", name, WireLimits.MAX_FILE_NAME_BYTES);
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..")) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": name must be a plain file name, without / or \\");
        }
        if (mediaType == null) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": field media_type missing");
        }
        if (mediaType.length() > WireLimits.MAX_MEDIA_TYPE_CHARS || !MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": media_type is not type/subtype");
        }
    }

}
