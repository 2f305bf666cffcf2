package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.util.Locale;

/**
 * Recognises a full disk or an exhausted quota among I/O errors, which Java reports only by the
 * OS message (ENOSPC, EDQUOT): such an upload is answered 452 (RFC 959: insufficient storage),
 * not 426, so the client knows retrying the same upload will not help.
 */
final class StorageErrors {
    private StorageErrors() {}

    /** True if {@code e} or a cause says the device is full or a quota is exceeded. */
    static boolean isFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    static Reply fullReply() {
        return Reply.of(ReplyCode.INSUFFICIENT_STORAGE, "Insufficient storage space: the upload was not stored.");
    }
}
