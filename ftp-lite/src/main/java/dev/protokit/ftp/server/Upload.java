package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.AsciiTranslator;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * STOR, APPE, STOU and resumed STOR (REST n). Nothing is written to the target name until the
 * whole upload has arrived: the data goes to a hidden temporary file in the same directory,
 * which is synced and renamed over the target (rename(2) is atomic) only after the data
 * connection closed cleanly. An aborted, failed, oversized or cut upload deletes the temporary
 * and leaves any old file exactly as it was.
 *
 * <p>APPE and REST copy the old file into the temporary first (copy-on-write; on file systems
 * with reflinks the kernel's copy is cheap), truncated to the REST offset, then append.
 */
final class Upload implements Transfer.Body {
    private static final int BUFFER = 256 * 1024;

    /** Where the upload's bytes start: a fresh file, the old file's end, or a REST offset in it. */
    enum Start { FRESH, APPEND, RESUME }

    private final Path target;
    private final Start start;
    private final long offset;
    private final boolean ascii;
    private final OptionalLong maxSize;
    private final Optional<TokenBucket> bucket;
    private Path temp;

    Upload(Path target, Start start, long offset, boolean ascii, OptionalLong maxSize, Optional<TokenBucket> bucket) {
        this.target = target;
        this.start = start;
        this.offset = offset;
        this.ascii = ascii;
        this.maxSize = maxSize;
        this.bucket = bucket;
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        temp = target.resolveSibling(VirtualFileSystem.TEMP_PREFIX
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".part");
        if (start != Start.FRESH && Files.exists(target)) {
            Files.copy(target, temp, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.createFile(temp);
        }
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            if (start == Start.RESUME) {
                out.truncate(offset);
            }
            out.position(out.size());
            long received = receive(data.in(), out, transfer);
            out.force(false);
            return received;
        }
    }

    private long receive(InputStream in, FileChannel out, Transfer transfer) throws IOException {
        AsciiTranslator translator = AsciiTranslator.fromNetwork();
        byte[] buffer = new byte[bucket.map(TokenBucket::chunk).orElse(BUFFER)];
        byte[] converted = ascii ? new byte[AsciiTranslator.maxOutput(buffer.length)] : buffer;
        long received = 0;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
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
        if (maxSize.isPresent() && out.position() + length > maxSize.getAsLong()) {
            throw new FtpException(ReplyCode.EXCEEDED_STORAGE,
                    "Exceeded storage allocation: files may be at most " + maxSize.getAsLong() + " bytes.");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Puts the finished file in place of the old one, atomically. */
    @Override
    public void commit() throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        temp = null;
    }

    @Override
    public void cleanup() {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary is hidden from clients; nothing else to do
            }
        }
    }
}
