package dev.protokit.chat.irc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * IRCv3 SASL framing of {@code AUTHENTICATE} payloads: base64 split in 400-byte chunks, a chunk
 * shorter than 400 (or {@code +} for nothing) ends the payload. Collects client chunks up to a
 * bound (905 ERR_SASLTOOLONG beyond it) and splits server challenges. Not thread-safe.
 */
public final class SaslChunks {
    /** Chunk size fixed by the IRCv3 SASL specification. */
    public static final int CHUNK = 400;
    /** Longest decoded client payload accepted. */
    public static final int MAX_PAYLOAD = 4096;

    private final StringBuilder pending = new StringBuilder();

    /**
     * Adds one client chunk; returns the decoded payload when it is complete.
     *
     * @throws IrcException 905 for an overlong payload or a chunk over 400 bytes, 904 for bad base64
     */
    public Optional<byte[]> add(String chunk) {
        if (chunk.length() > CHUNK || pending.length() + chunk.length() > MAX_PAYLOAD * 4 / 3 + 4) {
            pending.setLength(0);
            throw new IrcException(Numeric.ERR_SASLTOOLONG, List.of(), "SASL message too long");
        }
        if (!chunk.equals("+")) {
            pending.append(chunk);
        }
        if (chunk.length() == CHUNK) {
            return Optional.empty();
        }
        String all = pending.toString();
        pending.setLength(0);
        try {
            return Optional.of(Base64.getDecoder().decode(all));
        } catch (IllegalArgumentException e) {
            throw new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed: bad base64", e);
        }
    }

    /** Drops a partial payload (on abort or mechanism change). */
    public void reset() {
        pending.setLength(0);
    }

    /** The AUTHENTICATE parameters that carry {@code payload}: chunks, then {@code +} if the last was full. */
    public static List<String> split(byte[] payload) {
        String b64 = Base64.getEncoder().encodeToString(payload);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < b64.length(); i += CHUNK) {
            chunks.add(b64.substring(i, Math.min(b64.length(), i + CHUNK)));
        }
        if (chunks.isEmpty() || chunks.getLast().length() == CHUNK) {
            chunks.add("+");
        }
        return chunks;
    }
}
