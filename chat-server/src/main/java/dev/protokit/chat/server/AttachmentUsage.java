package dev.protokit.chat.server;

import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of attachments each account has stored, held against a per-account quota; one per
 * server, shared by the native and web listeners, so an account cannot fill the disk through
 * either. Bytes are reserved before an upload is read (two uploads at once cannot both slip
 * under the quota) and released when the upload fails or the attachment expires.
 *
 * <p>Thread-safe: every method holds this object's monitor (uploads are rare; nothing waits long).
 */
final class AttachmentUsage {
    private final long quota;
    private final Map<String, Long> stored = new HashMap<>();

    AttachmentUsage(long quota) {
        if (quota < 0) {
            throw new IllegalArgumentException("attachment quota must be >= 0, got " + quota);
        }
        this.quota = quota;
    }

    /** The most one account may have stored, in bytes. */
    long quota() {
        return quota;
    }

    /** Bytes {@code account} has stored (or reserved) now. */
    synchronized long used(String account) {
        return stored.getOrDefault(account, 0L);
    }

    /** Reserves {@code bytes} for {@code account}; false, changing nothing, if that would pass the quota. */
    synchronized boolean reserve(String account, long bytes) {
        long used = used(account);
        if (bytes > quota - used) {
            return false;
        }
        stored.put(account, used + bytes);
        return true;
    }

    /** Counts bytes already on disk (at start-up), whatever the quota. */
    synchronized void count(String account, long bytes) {
        stored.merge(account, bytes, Long::sum);
    }

    /** Gives back {@code bytes} of {@code account}'s reservation or storage. */
    synchronized void release(String account, long bytes) {
        stored.computeIfPresent(account, (a, used) -> used - bytes <= 0 ? null : used - bytes);
    }
}
