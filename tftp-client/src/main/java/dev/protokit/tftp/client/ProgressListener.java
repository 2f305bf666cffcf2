package dev.protokit.tftp.client;

import java.util.OptionalLong;

/** Observes a client transfer: its size once known, then progress about once per window. */
public interface ProgressListener {
    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() { };

    /** The transfer is negotiated; {@code size} is the file size if the server announced it (tsize). */
    default void started(OptionalLong size) { }

    /** {@code bytes} of file data moved so far. */
    default void progress(long bytes) { }
}
