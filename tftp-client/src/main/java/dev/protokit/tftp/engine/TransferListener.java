package dev.protokit.tftp.engine;

/**
 * Observes a transfer's progress, for progress bars and logs. Called on the transfer's thread,
 * at most once per window, so it must be quick and must not block.
 */
@FunctionalInterface
public interface TransferListener {
    /** Ignores everything. */
    TransferListener NONE = bytes -> { };

    /** {@code bytes} of file data have been acknowledged (sender) or written (receiver) so far. */
    void progress(long bytes);
}
