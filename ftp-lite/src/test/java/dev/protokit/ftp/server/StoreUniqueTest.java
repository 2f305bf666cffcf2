package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOU (RFC 959 4.1.3, RFC 1123 4.1.2.9): the file gets a name no other file has, said in the
 * 150 reply as {@code FILE: name}. A name given with it is the base, as vsftpd and wu-ftpd take
 * it: the name itself when free, else {@code name.1}, {@code name.2}... Nothing is overwritten
 * and nothing leaves the home.
 */
class StoreUniqueTest {
    private static final Pattern FILE = Pattern.compile("^150 FILE: (.+)$");

    @TempDir
    Path tmp;
    ServerFixture fx;
    Path home;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp);
        home = fx.home("alice");
        Files.createDirectories(home.resolve("sub"));
        Files.writeString(home.resolve("report.txt"), "the old report");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void aFreeNameGivenIsUsedAsItIs() throws Exception {
        assertEquals("fresh.txt", stou("STOU fresh.txt", "one"));
        assertEquals("one", Files.readString(home.resolve("fresh.txt")));
    }

    @Test
    void aTakenNameGetsTheFirstFreeNumberAndTheOldFileStays() throws Exception {
        assertEquals("report.txt.1", stou("STOU report.txt", "second"));
        assertEquals("report.txt.2", stou("STOU report.txt", "third"));
        assertEquals("the old report", Files.readString(home.resolve("report.txt")));
        assertEquals("second", Files.readString(home.resolve("report.txt.1")));
        assertEquals("third", Files.readString(home.resolve("report.txt.2")));
    }

    @Test
    void withoutANameTheServerMakesOneUpInTheCurrentDirectory() throws Exception {
        String name = stou("STOU", "made up");
        assertFalse(name.contains("/"), name);
        assertEquals("made up", Files.readString(home.resolve(name)));
    }

    @Test
    void aPathPutsTheFileInThatDirectoryAndTheReplyKeepsThePath() throws Exception {
        Files.writeString(home.resolve("sub/x.bin"), "taken");
        assertEquals("sub/x.bin.1", stou("STOU sub/x.bin", "in sub"));
        assertEquals("in sub", Files.readString(home.resolve("sub/x.bin.1")));
        assertEquals("taken", Files.readString(home.resolve("sub/x.bin")));
    }

    @Test
    void nothingIsCreatedOutsideTheHomeOrInAMissingDirectory() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("PASV", 227);
            c.command("STOU ../outside.txt", 550);
            c.command("PASV", 227);
            c.command("STOU missing/x.txt", 550);
        }
        assertFalse(Files.exists(fx.root.resolve("outside.txt")));
        try (RawClient anonymous = fx.raw()) {
            anonymous.login("anonymous", "guest@");
            anonymous.command("PASV", 227);
            anonymous.command("STOU x.txt", 550);
        }
    }

    @Test
    void aFailedUploadLeavesNoReservedName() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("STOU lost.txt", 425); // no PASV/PORT first: nothing to send the data over
            int port = c.pasvPort();
            try (Socket data = new Socket("127.0.0.1", port)) {
                c.send("STOU cut.txt");
                assertEquals("150 FILE: cut.txt", c.reply());
                data.setSoLinger(true, 0); // a reset: the upload did not end cleanly
            }
            assertTrue(c.reply().startsWith("426 "));
        }
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(Stream.of("report.txt", "sub").sorted().toList(),
                    files.map(p -> p.getFileName().toString()).filter(n -> !VirtualFileSystem.isHidden(n)).sorted().toList());
        }
    }

    /** Runs {@code command} on a fresh session, sends {@code body}, and returns the name the 150 reply gave. */
    private String stou(String command, String body) throws IOException {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            int port = c.pasvPort();
            String name;
            try (Socket data = new Socket("127.0.0.1", port)) {
                c.send(command);
                String opening = c.reply();
                Matcher m = FILE.matcher(opening);
                assertTrue(m.matches(), opening);
                name = m.group(1);
                try (OutputStream out = data.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertTrue(c.reply().startsWith("226 "));
            return name;
        }
    }
}
