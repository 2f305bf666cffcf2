package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.RequestRate;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.tftp.server.RequestDispatcher.Drop;
import dev.protokit.tftp.server.RequestDispatcher.Reply;
import dev.protokit.tftp.server.RequestDispatcher.Start;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.TftpCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Arbitrary bytes as the first packet on the request port: the dispatcher never throws, answers
 * with at most one packet no longer than the datagram, and an admitted transfer is confined to
 * the root. Runs its seeds under plain {@code mvn test} and fuzzes for {@code jazzer.max_duration}
 * when {@code jazzer.fuzz} is set (see src/test/resources/junit-platform.properties).
 */
class RequestDispatcherFuzzTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final Path ROOT;
    private static final RequestDispatcher DISPATCHER;
    private static final AddressLimiter LIMITER = new AddressLimiter(new ConnectionLimits(4, 4));

    static {
        try {
            ROOT = Files.createTempDirectory("tftp-fuzz-root").toRealPath();
            Files.write(ROOT.resolve("a"), new byte[700]);
            Files.createDirectories(ROOT.resolve("d"));
            Files.write(ROOT.resolve("d/b.bin"), new byte[3]);
            var remap = RemapRules.parse(List.of("rg \\\\ /", "a \\.iso$", "ri ^PXE/ d/"));
            var config = TftpServerConfig.defaults(ROOT).withWrites(WritePolicy.CREATE_FILES)
                    .withMaxUploadSize(1000).withRemap(remap).withMaxBlksize(1468);
            DISPATCHER = new RequestDispatcher(config, LIMITER, peer -> false, new RequestRate(RequestRate.Policy.defaults()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void firstPacketNeverBreaksTheDispatcher(byte[] datagram) {
        var decision = DISPATCHER.dispatch(CLIENT, ByteBuffer.wrap(datagram));
        switch (decision) {
            case Drop d -> { }
            case RequestDispatcher.Repeated r -> { }
            case Reply r -> assertTrue(TftpCodec.encode(r.error()).remaining() <= datagram.length,
                    "reply longer than the request: " + r);
            case Start s -> {
                try {
                    String path = s.plan().path().path();
                    assertTrue(!path.startsWith("/") && !java.util.List.of(path.split("/")).contains(".."), "escaped: " + path);
                } finally {
                    s.plan().permit().close();
                }
            }
        }
        assertEquals(0, LIMITER.active(), "a permit leaked");
    }
}
