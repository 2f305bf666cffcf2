package dev.protokit.tftp.server;

import dev.protokit.common.fs.ConfinedDirectory;
import dev.protokit.common.fs.FileStat;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An upload written to a temporary file beside its target and renamed over it (rename(2), atomic)
 * only by {@link #commit()}, once the last block has arrived. Until then readers see the old file
 * (or none); {@link #close()} without a commit deletes the temporary, so an aborted upload leaves
 * nothing behind.
 *
 * <p>The target's directory is opened once, beneath the root, when the upload begins
 * ({@link ConfinedDirectory}): the temporary is created there exclusively, and renamed and
 * deleted there, so a link or directory swapped on the way after the start cannot move it.
 *
 * <p>The size quota is checked on every write: the write that would pass it fails with
 * DISK_FULL ("Disk full or allocation exceeded", RFC 1350 error 3) and the file stays partial
 * until the caller closes it.
 */
public final class AtomicUpload implements WritableByteChannel {
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final ConfinedDirectory dir;
    private final String target;
    private final String temp;
    private final FileChannel channel;
    private final long maxBytes;
    private long written;
    private boolean committed;
    private boolean closed;

    private AtomicUpload(ConfinedDirectory dir, String target, String temp, FileChannel channel, long maxBytes) {
        this.dir = dir;
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
    public static AtomicUpload begin(RootJail.Target target, long maxBytes) throws IOException {
        Objects.requireNonNull(target, "target");
        ConfinedDirectory dir = target.root().directory(target.parent());
        try {
            for (int attempt = 0; ; attempt++) {
                String temp = RootJail.TEMP_PREFIX + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
                try {
                    return new AtomicUpload(dir, target.name(), temp, dir.createNew(temp, 0600), maxBytes);
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** The temporary file's name in the target's directory (for tests and log lines). */
    public String tempFile() {
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
        try {
            FileStat old = dir.lstat(target);
            if (old.isRegularFile()) {
                mode = old.permissions();
            }
        } catch (NoSuchFileException e) {
            // a new file
        }
        dir.setPermissions(temp, mode);
        dir.rename(temp, target);
        committed = true;
        closed = true;
        dir.close();
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
            dir.delete(temp);
        } catch (NoSuchFileException e) {
            // already gone
        } finally {
            dir.close();
        }
    }
}
