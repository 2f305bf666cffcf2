package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.tftp.server.TftpServerConfig.TransferThreads;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TftpServerMainTest {
    @TempDir
    Path root;

    private TftpServerConfig parse(String... args) {
        var main = new TftpServerMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void defaultsAreReadOnlyAndDocumented() throws IOException {
        var c = parse("--root", root.toString());
        assertEquals(root.toRealPath(), c.root());
        assertEquals(WritePolicy.READ_ONLY, c.writes());
        assertEquals(Long.MAX_VALUE, c.maxUploadSize());
        assertEquals(512, c.limits().maxConnections());
        assertEquals(32, c.limits().maxPerAddress());
        assertEquals(PortRange.ANY, c.portRange());
        assertEquals(65464, c.maxBlksize());
        assertEquals(64, c.maxWindowsize());
        assertEquals(Duration.ofSeconds(1), c.timeout());
        assertEquals(5, c.retries());
        assertEquals(TransferThreads.AUTO, c.threads());
    }

    @Test
    void transferThreadsMapToTheRuntimesKinds() {
        assertEquals(UdpServer.SessionThreads.AUTO, TransferThreads.AUTO.runtime());
        assertEquals(UdpServer.SessionThreads.VIRTUAL, TransferThreads.VIRTUAL.runtime());
        assertEquals(UdpServer.SessionThreads.PLATFORM, TransferThreads.PLATFORM.runtime());
        assertEquals(TransferThreads.VIRTUAL, parse("--root", root.toString(), "--transfer-threads", "Virtual").threads());
    }

    @Test
    void everyFlagReachesTheConfig() throws IOException {
        Path rules = Files.writeString(root.resolve("rules"), "rg \\\\ /\n");
        var c = parse("--root", root.toString(), "--allow-create", "--max-upload-size", "64M", "--remap", rules.toString(),
                "--max-transfers", "9", "--max-per-address", "3", "--port-range", "50000-50099", "--max-blksize", "1468",
                "--max-windowsize", "16", "--timeout", "250ms", "--retries", "7", "--transfer-threads", "platform");
        assertEquals(WritePolicy.CREATE_FILES, c.writes());
        assertEquals(64L << 20, c.maxUploadSize());
        assertEquals(1, c.remap().size());
        assertEquals(9, c.limits().maxConnections());
        assertEquals(3, c.limits().maxPerAddress());
        assertEquals(new PortRange(50000, 50099), c.portRange());
        assertEquals(1468, c.maxBlksize());
        assertEquals(16, c.maxWindowsize());
        assertEquals(Duration.ofMillis(250), c.timeout());
        assertEquals(7, c.retries());
        assertEquals(TransferThreads.PLATFORM, c.threads());
        assertEquals(WritePolicy.EXISTING_FILES, parse("--root", root.toString(), "--allow-write").writes());
    }

    @Test
    void badValuesFailStartUpWithOneLine() throws IOException {
        var range = assertThrows(StartupException.class, () -> parse("--root", root.toString(), "--port-range", "9-1"));
        assertTrue(range.getMessage().contains("port range"), range.getMessage());
        var blk = assertThrows(StartupException.class, () -> parse("--root", root.toString(), "--max-blksize", "7"));
        assertTrue(blk.getMessage().contains("RFC 2348"), blk.getMessage());
        Path bad = Files.writeString(root.resolve("bad"), "s ^a b\n");
        var remap = assertThrows(StartupException.class, () -> parse("--root", root.toString(), "--remap", bad.toString()));
        assertTrue(remap.getMessage().contains("remap line 1"), remap.getMessage());
        assertThrows(CommandLine.ParameterException.class,
                () -> parse("--root", root.toString(), "--max-upload-size", "lots"));
    }

    @Test
    void takesTheSharedLimitFlags() throws IOException {
        var c = parse("--root", root.toString(), "--max-connections", "40", "--max-per-address", "4",
                "--idle-timeout", "90s", "--handshake-timeout", "3s", "--shutdown-grace", "2s", "--max-timeout", "30s");
        assertEquals(40, c.limits().maxConnections());
        assertEquals(4, c.limits().maxPerAddress());
        assertEquals(Duration.ofSeconds(90), c.idleTimeout());
        assertEquals(Duration.ofSeconds(3), c.handshakeTimeout());
        assertEquals(Duration.ofSeconds(30), c.maxTimeout());
        var defaults = parse("--root", root.toString());
        assertEquals(Duration.ofSeconds(10), defaults.maxTimeout());
        assertEquals(Duration.ofSeconds(10), defaults.handshakeTimeout());
        assertEquals(Duration.ofMinutes(5), defaults.idleTimeout());
        var tooLong = assertThrows(StartupException.class, () -> parse("--root", root.toString(), "--max-timeout", "256s"));
        assertTrue(tooLong.getMessage().contains("RFC 2349"), tooLong.getMessage());
    }

    @Test
    void helpPrintsNoPicocliWarnings() {
        var err = new java.io.ByteArrayOutputStream();
        var previous = System.err;
        String help;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            help = new CommandLine(new TftpServerMain()).getUsageMessage();
        } finally {
            System.setErr(previous);
        }
        String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!printed.contains("picocli WARN"), printed);
        assertTrue(help.replaceAll("\\s+", " ").contains("auto (default: a platform thread per transfer while fewer than 256 run"), help);
        assertTrue(help.contains("--max-connections") && help.contains("--idle-timeout"), help);
    }
}
