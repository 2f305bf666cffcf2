package dev.protokit.tftp.client;

import dev.protokit.tftp.engine.BlockSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Holds a download to the size the server announced in its OACK (RFC 2349 tsize): a block that
 * would take the file past it, or a final block that leaves it short, fails the transfer before
 * the file is committed, so a truncated or padded file is an error and never a success (issue
 * #9: a stale ACK once made a server skip blocks and the client exited 0 with half a file).
 * Octet mode only: in netascii the wire size differs from the size on disk.
 */
final class ExpectedSizeSink implements BlockSink {
    private final BlockSink sink;
    private final long expected;
    private long received;

    ExpectedSizeSink(BlockSink sink, long expected) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.expected = expected;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        received += src.remaining();
        if (received > expected) {
            throw new IOException("server sent more than the " + expected + " bytes it announced (tsize)");
        }
        sink.write(src);
    }

    @Override
    public void finish() throws IOException {
        if (received != expected) {
            throw new IOException("server sent " + received + " bytes but announced " + expected + " (tsize)");
        }
        sink.finish();
    }
}
