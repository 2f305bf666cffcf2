package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedDirectory;
import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.FileStat;
import dev.protokit.ftp.wire.AsciiTranslator;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * STOR, APPE, STOU and resumed STOR (REST n). Nothing is written to the target name until the
 * whole upload has arrived: the data goes to a hidden part file in the same directory
 * ({@link UploadParts}), which is synced and renamed over the target (rename(2) is atomic) only
 * after the data connection closed cleanly. Any old file stays exactly as it was until then.
 *
 * <p>An upload cut short (connection reset, ABOR, control connection lost, server stopped) keeps
 * its part, under a name only the same user's next upload of the same target finds, so
 * {@code REST n} + STOR or APPE continue it ({@link Start#CONTINUE}: lftp {@code put -c},
 * {@code curl -C - -T}); an oversized upload or a full disk deletes it.
 *
 * <p>The target's directory is opened once, confined, as a {@link ConfinedDirectory}: the
 * temporary is created exclusively in it, renamed and deleted in it, so a link swapped on the
 * way to it after the start can neither move the upload nor lead it outside the home.
 *
 * <p>APPE and REST copy the old file into the temporary first (copy-on-write; on file systems
 * with reflinks the kernel's copy is cheap), truncated to the REST offset, then append.
 *
 * <p>Binary uploads on a plain connection read the data {@code SocketChannel} into one pooled
 * direct buffer ({@link UploadBuffers}) and write that buffer to the file: one copy into the page
 * cache and none through the heap. TLS (an {@code SSLSocket} has no channel) and TYPE A go through
 * a heap buffer. With fsync on, a background {@code fdatasync} is started every
 * {@value #SYNC_STEP} bytes, so the disk writes while the data still arrives and the final sync
 * before the rename only has the tail left.
 */
final class Upload implements Transfer.Body {
    private static final int BUFFER = 256 * 1024;
    private static final long SYNC_STEP = 64L << 20;
    private static final long DEFERRED_DELETE = 8L << 20;
    /**
     * How long the control connection must outlive the end of a plain upload's data for the
     * upload to be committed. A killed client's kernel closes both of its connections, the data
     * connection first (Linux releases a dying process's files last-opened first), so the
     * control connection's FIN follows within microseconds unless the dying client is preempted
     * between the two; the probe asks the kernel each millisecond, so our own scheduling delays
     * do not count. TLS uploads need no wait: close_notify proves the client ended the file.
     */
    static final Duration SETTLE = Duration.ofMillis(20);

    /**
     * Where the upload's bytes start: a fresh file, the old file's end, a REST offset in the old
     * file, or an offset in the user's pending part (its end for APPE).
     */
    enum Start { FRESH, APPEND, RESUME, CONTINUE }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Upload.class);

    private final ConfinedRoot root;
    private final String target;
    private final String partName;
    private final boolean resumable;
    private final Runnable release;
    private final Start start;
    private final long offset;
    private final boolean ascii;
    private final OptionalLong maxSize;
    private final Optional<TokenBucket> bucket;
    private final boolean fsync;
    private ConfinedDirectory dir;
    /** The open part, from the start of {@link #run} to {@link #finish} (or {@link #cleanup}). */
    private FileChannel file;
    private String temp;
    private boolean keep;
    private Optional<String> replaced = Optional.empty();
    /** When the data connection ended (System.nanoTime), and whether it was plain TCP. */
    private volatile long endedAt;
    private volatile boolean plain;

    /**
     * An upload to {@code target}, a path relative to {@code root} (the session's home), through
     * the part {@code partName} in the target's directory; a {@code resumable} part survives an
     * interruption. {@code release} runs once the upload is over (it frees the claim on the part).
     */
    Upload(ConfinedRoot root, String target, String partName, boolean resumable, Runnable release, Start start,
           long offset, boolean ascii, OptionalLong maxSize, Optional<TokenBucket> bucket, boolean fsync) {
        this.root = root;
        this.target = target;
        this.partName = partName;
        this.resumable = resumable;
        this.release = release;
        this.start = start;
        this.offset = offset;
        this.ascii = ascii;
        this.maxSize = maxSize;
        this.bucket = bucket;
        this.fsync = fsync;
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        try {
            dir = root.directory(parent(target));
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Could not create file.", e);
        }
        temp = partName;
        keep = resumable;
        plain = !data.isTls();
        try {
            return receive(data, transfer);
        } catch (FtpException e) {
            keep = false; // oversized: nothing worth resuming
            throw e;
        } catch (IOException e) {
            keep = keep && !StorageErrors.isFull(e); // a full disk needs the space back
            throw e;
        }
    }

    /** The data's end plus {@link #SETTLE} for a plain upload (the final fsync in {@link #finish} runs inside that window). */
    @Override
    public long settleDeadline() {
        return plain ? endedAt + SETTLE.toNanos() : System.nanoTime();
    }

    private FileChannel openPart() throws IOException {
        if (start == Start.CONTINUE) {
            return dir.openWrite(temp);
        }
        if (resumable) {
            delete(dir, temp); // an older part of this user's, replaced by a fresh start
        }
        return dir.createNew(temp, 0666);
    }

    private long receive(DataConnection data, Transfer transfer) throws IOException {
        file = openPart();
        if (start == Start.APPEND || start == Start.RESUME) {
            copyOld(file);
        }
        if (start == Start.RESUME || start == Start.CONTINUE) {
            file.truncate(offset);
        }
        file.position(file.size());
        Optional<SocketChannel> channel = ascii ? Optional.empty() : data.channel();
        Optional<ByteBuffer> direct = channel.isPresent() ? UploadBuffers.take() : Optional.empty();
        if (direct.isPresent()) {
            try {
                return receive(channel.get(), direct.get(), file, transfer);
            } finally {
                UploadBuffers.give(direct.get());
            }
        }
        return receive(data.in(), file, transfer);
    }

    /**
     * After the data connection closed (our close_notify already sent, so a TLS client waiting
     * for it is not held up by the disk): the final fsync, then the part is closed.
     */
    @Override
    public void finish() throws IOException {
        try (FileChannel out = file) {
            if (fsync) {
                out.force(false);
            }
        } catch (IOException e) {
            keep = keep && !StorageErrors.isFull(e);
            throw e;
        } finally {
            file = null;
        }
    }

    /** APPE and REST: the old file's bytes first (copy_file_range where the kernel has it). */
    private void copyOld(FileChannel out) throws IOException {
        try (FileChannel old = root.openRead(target)) {
            long size = old.size();
            for (long at = 0; at < size; ) {
                long n = old.transferTo(at, size - at, out);
                if (n <= 0) {
                    break;
                }
                at += n;
            }
        } catch (NoSuchFileException e) {
            // nothing to append to: the upload starts the file
        }
    }

    /** The directory part of a path relative to the home ({@code ""} for the home itself). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private String name() {
        return target.substring(target.lastIndexOf('/') + 1);
    }

    /**
     * The one-copy path. A blocking channel read ignores SO_TIMEOUT; the transfer watchdog
     * closes a connection that stops delivering, which makes the read fail.
     */
    private long receive(SocketChannel in, ByteBuffer buffer, FileChannel out, Transfer transfer) throws IOException {
        int limit = bucket.map(TokenBucket::chunk).orElse(buffer.capacity());
        BackgroundSync sync = new BackgroundSync(out);
        long received = 0;
        try {
            while (true) {
                buffer.clear().limit(limit);
                int n = in.read(buffer);
                if (n < 0) {
                    endedAt = System.nanoTime();
                    break;
                }
                bucket.ifPresent(b -> b.take(n));
                received += n;
                checkSize(out, n);
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                transfer.progress(n);
                if (fsync) {
                    sync.maybeStart(received);
                }
            }
        } finally {
            sync.await();
        }
        return received;
    }

    private long receive(InputStream in, FileChannel out, Transfer transfer) throws IOException {
        AsciiTranslator translator = AsciiTranslator.fromNetwork();
        byte[] buffer = new byte[bucket.map(TokenBucket::chunk).orElse(BUFFER)];
        byte[] converted = ascii ? new byte[AsciiTranslator.maxOutput(buffer.length)] : buffer;
        long received = 0;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                endedAt = System.nanoTime();
                break;
            }
            bucket.ifPresent(b -> b.take(n));
            received += n;
            int m = ascii ? translator.translate(buffer, 0, n, converted) : n;
            write(out, converted, m);
            transfer.progress(n);
        }
        if (ascii) {
            write(out, converted, translator.finish(converted));
        }
        return received;
    }

    private void write(FileChannel out, byte[] bytes, int length) throws IOException {
        checkSize(out, length);
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private void checkSize(FileChannel out, int length) throws IOException {
        if (maxSize.isPresent() && out.position() + length > maxSize.getAsLong()) {
            throw new FtpException(ReplyCode.EXCEEDED_STORAGE,
                    "Exceeded storage allocation: files may be at most " + maxSize.getAsLong() + " bytes.");
        }
    }

    /**
     * At most one {@code fdatasync} at a time on a virtual thread, started each {@link #SYNC_STEP}
     * bytes. It only moves write-back earlier: durability still comes from the final force().
     */
    private static final class BackgroundSync {
        private final FileChannel file;
        private Thread running;
        private long next = SYNC_STEP;

        BackgroundSync(FileChannel file) {
            this.file = file;
        }

        void maybeStart(long written) {
            if (written < next || (running != null && running.isAlive())) {
                return;
            }
            next = written + SYNC_STEP;
            running = Thread.ofVirtual().name("upload-sync").start(() -> {
                try {
                    file.force(false);
                } catch (IOException ignored) {
                    // closed by an abort, or a disk error the final force() will report
                }
            });
        }

        /** Waits for a running sync, so the file is not closed or deleted under it. */
        void await() {
            if (running != null) {
                boolean interrupted = false;
                while (true) {
                    try {
                        running.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Puts the finished file in place of the old one, atomically. A large old file first gets a
     * second, hidden link: rename(2) then only drops a name, and freeing the old file's blocks
     * and page cache (0.2 s for 1 GiB on ext4) happens in {@link #cleanup()}, off the reply path.
     */
    @Override
    public void commit() throws IOException {
        String keep = temp.replace(".part", ".old");
        try {
            FileStat old = dir.lstat(name());
            if (old.isRegularFile() && old.size() >= DEFERRED_DELETE) {
                dir.link(name(), keep);
                replaced = Optional.of(keep);
            }
        } catch (IOException e) {
            // no old file, or no hard links here: rename frees the old file inline
        }
        dir.rename(temp, name());
        temp = null;
    }

    @Override
    public void cleanup() {
        try {
            cleanupFiles();
        } finally {
            release.run();
        }
    }

    private void cleanupFiles() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the upload failed already; the part is kept or deleted below
            }
            file = null;
        }
        if (dir == null) {
            return;
        }
        if (temp != null && keep && partSize() > 0) {
            LOG.info("kept {} bytes of the interrupted upload of {} for a resume", partSize(), name());
        } else {
            delete(dir, temp);
        }
        if (replaced.isPresent()) {
            String old = replaced.get();
            ConfinedDirectory held = dir;
            Thread.ofVirtual().name("upload-unlink").start(() -> {
                delete(held, old);
                held.close();
            });
        } else {
            dir.close();
        }
    }

    private long partSize() {
        try {
            return dir.lstat(temp).size();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(ConfinedDirectory dir, String name) {
        if (name != null) {
            try {
                dir.delete(name);
            } catch (IOException ignored) {
                // gone already, or a leftover temporary hidden from clients; nothing else to do
            }
        }
    }
}
