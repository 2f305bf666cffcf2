package dev.protokit.tftp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.NegotiatedOptions;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpOption;
import dev.protokit.tftp.wire.TransferMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TftpClient against the engine-based test server: options, fallback, errors, atomic files. */
class TftpClientTest {
    @TempDir
    Path dir;

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static TftpClient.Builder client(TestServer server) throws Exception {
        return TftpClient.builder(server.address()).timeout(Duration.ofMillis(200)).linger(Duration.ZERO);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void getsAndPutsWithOptions(String host) throws Exception {
        try (var server = new TestServer(InetAddress.getByName(host), true)) {
            byte[] content = random(300_000);
            server.files.put("a.bin", content);
            var sizes = new AtomicLong(-1);
            var client = client(server).blockSize(1468).windowSize(32).transferSize(true)
                    .listener(new ProgressListener() {
                        @Override
                        public void started(OptionalLong size) {
                            sizes.set(size.orElse(-2));
                        }
                    }).build();
            var result = client.get("a.bin", dir.resolve("a.bin"));
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("a.bin")));
            assertEquals(new NegotiatedOptions(1468, 32, java.util.OptionalInt.empty(), OptionalLong.of(300_000)),
                    result.options());
            assertEquals(300_000, sizes.get());

            client.put(dir.resolve("a.bin"), "copy.bin");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.files.containsKey("copy.bin"));
            assertArrayEquals(content, server.files.get("copy.bin"));
            assertEquals("300000", server.requests.get(1).options().get(TftpOption.TSIZE).orElseThrow());
        }
    }

    @Test
    void fallsBackToRfc1350WhenTheServerIgnoresOptions() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), false)) {
            byte[] content = random(5000);
            server.files.put("f", content);
            var client = client(server).blockSize(8192).windowSize(8).transferSize(true).build();
            var out = new ByteArrayOutputStream();
            assertEquals(NegotiatedOptions.DEFAULTS, client.get("f", out).options());
            assertArrayEquals(content, out.toByteArray());
            assertEquals(NegotiatedOptions.DEFAULTS, client.put(new ByteArrayInputStream(content), "g").options());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.files.containsKey("g"));
            assertArrayEquals(content, server.files.get("g"));
        }
    }

    @Test
    void netasciiConvertsOnBothEnds() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true)) {
            byte[] text = "one\ntwo\r\nthree\rfour\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
            var client = client(server).mode(TransferMode.NETASCII).build();
            client.put(new ByteArrayInputStream(text), "t.txt");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.files.containsKey("t.txt"));
            assertArrayEquals(text, server.files.get("t.txt"));
            var out = new ByteArrayOutputStream();
            client.get("t.txt", out);
            assertArrayEquals(text, out.toByteArray());
        }
    }

    @Test
    void missingFileFailsWithTheServersErrorAndLeavesNoFile() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true)) {
            var e = assertThrows(TftpException.class, () -> client(server).build().get("nope", dir.resolve("nope")));
            assertEquals(ErrorCode.FILE_NOT_FOUND, e.code());
            assertEquals("File not found (server error 1: no nope)", e.getMessage());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count(), "no partial or temporary file is left behind");
            }
        }
    }

    @Test
    void mailModeIsRefusedLocally() {
        var e = assertThrows(TftpException.class, () -> TftpClient.builder(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 69)).mode(TransferMode.MAIL));
        assertEquals(ErrorCode.ILLEGAL_OPERATION, e.code());
    }

    @Test
    void getReplacesAnExistingFileOnlyOnSuccess() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true)) {
            Path target = dir.resolve("keep.txt");
            Files.writeString(target, "old");
            assertThrows(TftpException.class, () -> client(server).build().get("missing", target));
            assertEquals("old", Files.readString(target));
            server.files.put("new", "new".getBytes(StandardCharsets.US_ASCII));
            client(server).build().get("new", target);
            assertEquals("new", Files.readString(target));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count());
            }
        }
    }

    @Test
    void silentServerTimesOutAfterTheRetries() throws Exception {
        try (var silent = java.nio.channels.DatagramChannel.open().bind(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var address = (java.net.InetSocketAddress) silent.getLocalAddress();
            var client = TftpClient.builder(address).timeout(Duration.ofMillis(50)).retries(2).build();
            var e = assertThrows(TftpException.class, () -> client.get("x", dir.resolve("x")));
            assertEquals("no answer from 127.0.0.1:" + address.getPort() + " after 2 retries", e.getMessage());
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }

    @Test
    void emptyFileAndExactMultipleOfTheBlockSize() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true)) {
            for (int size : new int[] {0, 512, 1024}) {
                server.files.put("s" + size, random(size));
                var out = new ByteArrayOutputStream();
                var result = client(server).build().get("s" + size, out);
                assertArrayEquals(server.files.get("s" + size), out.toByteArray());
                assertEquals(size / 512 + 1, result.stats().blocks(), "a final empty block ends the file");
            }
            assertTrue(server.failures.isEmpty(), server.failures::toString);
        }
    }
}
