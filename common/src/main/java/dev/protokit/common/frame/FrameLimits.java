package dev.protokit.common.frame;

/**
 * Upper bounds a {@link FrameReader} enforces before it reads or allocates anything, and a
 * {@link FrameWriter} enforces so that it never emits a frame its peer would reject.
 *
 * @param maxHeaderBytes largest accepted header, in bytes of UTF-8 JSON (1 to 16 MiB; the header
 *                       is held in memory, the body never is)
 * @param maxBodyBytes   largest accepted {@code bodyLength} (0 to {@link Long#MAX_VALUE}); bodies
 *                       are streamed, so this limits disk or bandwidth use, not memory
 */
public record FrameLimits(int maxHeaderBytes, long maxBodyBytes) {
    /** Default header cap: 64 KiB, far above any sane header and small enough to hold. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** Hard ceiling on the header cap, so a misconfiguration cannot make headers a memory sink. */
    public static final int MAX_HEADER_BYTES_CEILING = 16 * 1024 * 1024;

    /** 64 KiB headers, bodies of any size. */
    public static final FrameLimits DEFAULT = new FrameLimits(DEFAULT_MAX_HEADER_BYTES, Long.MAX_VALUE);

    /** Validates the bounds. */
    public FrameLimits {
        if (maxHeaderBytes < 1 || maxHeaderBytes > MAX_HEADER_BYTES_CEILING) {
            throw new IllegalArgumentException("maxHeaderBytes must be 1.." + MAX_HEADER_BYTES_CEILING
                    + ", got " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + maxBodyBytes);
        }
    }

    /** These limits with another header cap. */
    public FrameLimits withMaxHeaderBytes(int newMaxHeaderBytes) {
        return new FrameLimits(newMaxHeaderBytes, maxBodyBytes);
    }

    /** These limits with another body cap. */
    public FrameLimits withMaxBodyBytes(long newMaxBodyBytes) {
        return new FrameLimits(maxHeaderBytes, newMaxBodyBytes);
    }
}
