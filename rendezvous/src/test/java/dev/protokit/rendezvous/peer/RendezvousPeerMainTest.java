package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.Addresses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendezvousPeerMainTest {
    private static final ThreadLocal<String> ERR = ThreadLocal.withInitial(String::new);

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        int code = RendezvousPeerMain.run(args, new PrintWriter(err, true));
        ERR.set(err.toString());
        return code;
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        assertEquals(2, run("chat"));
        assertEquals(1, ERR.get().strip().lines().count(), ERR.get());
        assertTrue(ERR.get().startsWith("rendezvous-peer: Missing required option: '--server"), ERR.get());
        assertEquals(2, run("chat", "--server", "127.0.0.1", "--code", "7-scenc-harbor"));
        assertEquals("rendezvous-peer: 'scenc' is not a code word (a typo?)", ERR.get().strip());
        assertEquals(2, run("receive", "--server", "127.0.0.1"));
        assertEquals(1, ERR.get().strip().lines().count(), ERR.get());
        assertEquals(2, run("send", "/nonexistent/file", "--server", "127.0.0.1"));
        assertEquals("rendezvous-peer: not a regular file: /nonexistent/file", ERR.get().strip());
        assertEquals(2, run("chat", "--server", "127.0.0.1:99999"));
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void aFileCrossesWholeAndLandsAtomically(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("payload.bin");
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(bytes);
        Files.write(source, bytes);
        Path out = Files.createDirectory(dir.resolve("in"));
        try (ScriptedRendezvousServer server = new ScriptedRendezvousServer()) {
            String at = Addresses.format(server.address());
            CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(
                    () -> run("receive", "--server", at, "--code", "9-scenic-harbor", "--out", out.toString(), "-q"),
                    r -> Thread.ofVirtual().start(r));
            int sent = run("send", source.toString(), "--server", at, "--code", "9-scenic-harbor", "-q");
            assertEquals(0, sent, ERR.get());
            assertEquals(0, receiver.get(60, TimeUnit.SECONDS));
        }
        assertArrayEquals(bytes, Files.readAllBytes(out.resolve("payload.bin")));
        try (var listing = Files.list(out)) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void aWrongCodeExitsThreeOnBothSides(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("x.txt"), "secret");
        try (ScriptedRendezvousServer server = new ScriptedRendezvousServer()) {
            String at = Addresses.format(server.address());
            CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(
                    () -> run("receive", "--server", at, "--code", "9-scenic-harness", "--out", dir.toString(), "-q"),
                    r -> Thread.ofVirtual().start(r));
            assertEquals(3, run("send", source.toString(), "--server", at, "--code", "9-scenic-harbor", "-q"));
            assertEquals(3, receiver.get(60, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(dir.resolve("in")));
    }
}
