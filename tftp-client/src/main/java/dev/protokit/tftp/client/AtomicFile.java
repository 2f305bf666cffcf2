package dev.protokit.tftp.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file that appears under its name only once complete: written to a temporary file in the
 * same directory, fsynced, then renamed over the target; deleted if not committed.
 */
final class AtomicFile implements AutoCloseable {
    /**
     * Temporaries not yet committed or deleted, removed by a shutdown hook: SIGTERM or Ctrl-C
     * during a get ends the JVM without running {@link #close()}, and used to leave
     * {@code .NAME.N.part} behind.
     */
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFile::deletePending, "tftp-part-cleanup"));
    }

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    private AtomicFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    static AtomicFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
        try {
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                // createTempFile makes 0600; a downloaded file should look like any other file
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            PENDING.add(temp);
            return new AtomicFile(absolute, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            PENDING.remove(temp);
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static void deletePending() {
        for (Path temp : PENDING) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the process is ending; nothing else to try
            }
        }
    }

    FileChannel channel() {
        return channel;
    }

    /** Makes the data durable and gives it its name. */
    void commit() throws IOException {
        channel.force(true);
        channel.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        PENDING.remove(temp);
        syncDirectory(target.getParent());
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (!committed) {
            Files.deleteIfExists(temp);
            PENDING.remove(temp);
        }
    }

    /** Best effort: makes the rename durable where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // Not supported everywhere (e.g. Windows); the file itself is already durable.
        }
    }
}
