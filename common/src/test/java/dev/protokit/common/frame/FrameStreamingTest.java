package dev.protokit.common.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A body far larger than the heap and than 32 bits, streamed writer to reader through an OS pipe
 * while both sides measure what they allocate.
 */
class FrameStreamingTest {
    private static final long FIVE_GIB = 5L << 30;
    /** Copy buffers and headers fit easily; holding the body would take 5 GiB. */
    private static final long ALLOCATION_BUDGET = 1L << 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void streamsFiveGigabyteBodyInConstantMemory() throws Exception {
        StreamFixtures.Pattern pattern = new StreamFixtures.Pattern(42);
        // Jackson's one-time set-up allocates megabytes; keep it out of the per-transfer figures.
        byte[] warm = FrameCodec.encodeHead(Map.of("warm", "up"), 0, FrameLimits.DEFAULT);
        FrameCodec.decodeHeader(Arrays.copyOfRange(warm, 4, warm.length), FrameLimits.DEFAULT);
        Pipe pipe = Pipe.open();
        CompletableFuture<Long> writerAllocation = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().name("frame-sender").start(() -> {
            try (OutputStream out = Channels.newOutputStream(pipe.sink())) {
                long before = StreamFixtures.allocatedByThisThread();
                FrameWriter writer = new FrameWriter(out);
                writer.write(Map.of("name", "huge.bin"), pattern.stream(FIVE_GIB), FIVE_GIB);
                writer.write(Map.of("name", "after"), new byte[] {42});
                writerAllocation.complete(StreamFixtures.allocatedByThisThread() - before);
            } catch (Throwable t) {
                writerAllocation.completeExceptionally(t);
            }
        });

        long started = System.nanoTime();
        long readerAllocated;
        try (InputStream in = Channels.newInputStream(pipe.source())) {
            long before = StreamFixtures.allocatedByThisThread();
            FrameReader reader = new FrameReader(in);
            Frame frame = reader.next().orElseThrow();
            assertEquals(FIVE_GIB, frame.header().bodyLength());
            byte[] buffer = new byte[60_000];
            long position = 0;
            int n;
            while ((n = frame.body().read(buffer, 0, buffer.length)) > 0) {
                if (!pattern.matches(position, buffer, n)) {
                    throw new AssertionError("body differs in the " + n + " bytes at " + position);
                }
                position += n;
            }
            assertEquals(FIVE_GIB, position);
            Frame after = reader.next().orElseThrow();
            assertEquals(42, after.body().read());
            assertTrue(reader.next().isEmpty());
            readerAllocated = StreamFixtures.allocatedByThisThread() - before;
            assertTrue(readerAllocated < ALLOCATION_BUDGET, "reader allocated " + readerAllocated + " bytes");
        }
        long writerAllocated = writerAllocation.get(60, TimeUnit.SECONDS);
        assertTrue(writerAllocated < ALLOCATION_BUDGET, "writer allocated " + writerAllocated + " bytes");
        sender.join();
        System.out.printf("5 GiB body in %d ms: reader allocated %d bytes, writer %d bytes%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), readerAllocated, writerAllocated);
    }
}
