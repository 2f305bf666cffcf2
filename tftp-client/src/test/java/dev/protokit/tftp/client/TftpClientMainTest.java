package dev.protokit.tftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: arguments, exit codes and one-line failures. */
class TftpClientMainTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TftpClientMain.run(args, new PrintWriter(err, true));
    }

    @Test
    void getsAndPutsAFile() throws Exception {
        try (var server = new TestServer(InetAddress.getByName("::1"), true)) {
            byte[] content = TftpClientTest.random(10_000);
            server.files.put("dir/a.bin", content);
            String host = "[::1]:" + server.address().getPort();
            Path local = dir.resolve("a.bin");
            assertEquals(0, run("get", host, "dir/a.bin", local.toString(), "--blksize", "1024",
                    "--windowsize", "4", "--timeout", "2", "--quiet"), err::toString);
            assertArrayEquals(content, Files.readAllBytes(local));
            assertEquals(0, run("put", host, "b.bin", local.toString(), "--no-tsize", "--retries", "3"), err::toString);
            org.awaitility.Awaitility.await().until(() -> server.files.containsKey("b.bin"));
            assertArrayEquals(content, server.files.get("b.bin"));
            assertEquals("", err.toString());
        }
    }

    @Test
    void failureIsOneLineWithExitCode1AndNoFileLeft() throws Exception {
        try (var server = new TestServer(InetAddress.getLoopbackAddress(), true)) {
            Path local = dir.resolve("x");
            assertEquals(1, run("get", "127.0.0.1:" + server.address().getPort(), "missing", local.toString()));
            assertEquals("tftp-client: File not found (server error 1: no missing)" + System.lineSeparator(), err.toString());
            assertFalse(Files.exists(local));
        }
    }

    @Test
    void badUsageExitsWith2() {
        assertEquals(2, run("fetch", "localhost", "x"));
        assertTrue(err.toString().contains("Invalid value for positional parameter"), err::toString);
    }

    @Test
    void unknownFlagIsAShortUsageError() {
        assertEquals(2, run("get", "127.0.0.1:9", "x", "--bogus"));
        assertEquals("tftp-client: Unknown option: '--bogus'" + System.lineSeparator()
                + "Try 'tftp-client --help' for more information." + System.lineSeparator(), err.toString());
    }

    @Test
    void outOfRangeOptionIsAUsageError() {
        assertEquals(2, run("get", "127.0.0.1:9", "x", dir.resolve("x").toString(), "--blksize", "7"));
        assertTrue(err.toString().startsWith("tftp-client: blksize must be within 8..65464, not 7" + System.lineSeparator()),
                err::toString);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void mailModeIsAUsageError() {
        assertEquals(2, run("put", "127.0.0.1:9", "x", "--mode", "mail"));
        assertTrue(err.toString().startsWith("tftp-client: --mode must be octet or netascii, not mail"), err::toString);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1, 69",
        "127.0.0.1:6969, 127.0.0.1, 6969",
        "[::1]:6969, 0:0:0:0:0:0:0:1, 6969",
        "[::1], 0:0:0:0:0:0:0:1, 69",
        "::1, 0:0:0:0:0:0:0:1, 69",
    })
    void parsesHostAndPort(String value, String address, int port) throws Exception {
        InetSocketAddress parsed = Hosts.parse(value);
        assertEquals(address, parsed.getAddress().getHostAddress());
        assertEquals(port, parsed.getPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:0     | bad port '0' in 127.0.0.1:0",
        "127.0.0.1:70000 | bad port '70000' in 127.0.0.1:70000",
        "[::1            | missing ']' in [::1",
        "[::1]6969       | expected :PORT after ']' in [::1]6969",
        ":69             | missing host in :69",
    })
    void rejectsMalformedHosts(String value, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Hosts.parse(value)).getMessage());
    }

    @Test
    void aGetStoppedBySigtermLeavesNoPartFile() throws Exception {
        // Issue #9: SIGTERM during a get left .NAME.N.part behind.
        try (var server = java.nio.channels.DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            var process = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    TftpClientMain.class.getName(), "get",
                    "127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort(), "big.img", "--quiet",
                    "--timeout", "30")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                var in = java.nio.ByteBuffer.allocate(1024);
                var client = (InetSocketAddress) server.receive(in); // the RRQ
                server.send(dev.protokit.tftp.wire.TftpCodec.encode(dev.protokit.tftp.wire.Data.of(1, new byte[512])), client);
                in.clear();
                server.receive(in); // ACK 1: the data is in the .part file; now the server goes silent
                try (var files = Files.list(dir)) {
                    assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "a .part exists mid-transfer");
                }
                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                process.destroyForcibly();
            }
            try (var files = Files.list(dir)) {
                assertEquals(java.util.List.of(), files.toList(), "no .part left");
            }
        }
    }
}
