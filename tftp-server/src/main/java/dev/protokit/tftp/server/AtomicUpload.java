package dev.protokit.tftp.server;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An upload written to a temporary file beside its target and renamed over it
 * ({@link StandardCopyOption#ATOMIC_MOVE}) only by {@link #commit()}, once the last block has
 * arrived. Until then readers see the old file (or none); {@link #close()} without a commit
 * deletes the temporary, so an aborted upload leaves nothing behind.
 *
 * <p>The size quota is checked on every write: the write that would pass it fails with
 * DISK_FULL ("Disk full or allocation exceeded", RFC 1350 error 3) and the file stays partial
 * until the caller closes it.
 */
public final class AtomicUpload implements WritableByteChannel {
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final long maxBytes;
    private long written;
    private boolean committed;
    private boolean closed;

    private AtomicUpload(Path target, Path temp, FileChannel channel, long maxBytes) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens a temporary file in {@code target}'s directory.
     *
     * @param maxBytes the most bytes the upload may hold ({@link Long#MAX_VALUE} for no quota)
     */
    public static AtomicUpload begin(Path target, long maxBytes) throws IOException {
        Objects.requireNonNull(target, "target");
        Path dir = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = dir.resolve(RootJail.TEMP_PREFIX + suffix);
            try {
                FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return new AtomicUpload(target, temp, channel, maxBytes);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** The temporary file (for tests and log lines). */
    public Path tempFile() {
        return temp;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int n = src.remaining();
        if (written + n > maxBytes) {
            throw new TftpException(ErrorCode.DISK_FULL,
                    "DISK_FULL upload passes --max-upload-size " + maxBytes + " bytes");
        }
        while (src.hasRemaining()) {
            channel.write(src);
        }
        written += n;
        return n;
    }

    /**
     * Flushes the data to disk and renames the temporary over the target. The new file keeps
     * the permissions of the one it replaces, or gets rw-r--r-- when new.
     */
    public void commit() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        channel.force(true);
        channel.close();
        Set<PosixFilePermission> mode = NEW_FILE;
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            mode = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(temp, mode);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Ends the upload; without a commit, deletes the temporary file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
