package dev.protokit.ftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.junit.jupiter.api.Test;

class ListingFormatTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private static FileFacts file(String name, long size, Instant modified) {
        return new FileFacts(name, FileFacts.Kind.FILE, size, modified, "rw-r--r--", "803U1a2b", true);
    }

    @Test
    void recentEntriesShowTimeOldOnesShowYear() {
        assertEquals("-rw-r--r--    1 ftp      ftp                42 Mar  5 14:02 notes.txt",
                ListingFormat.listLine(file("notes.txt", 42, Instant.parse("2026-03-05T14:02:09Z")), NOW));
        assertEquals("-rw-r--r--    1 ftp      ftp           1048576 Mar  5  2021 old.bin",
                ListingFormat.listLine(file("old.bin", 1048576, Instant.parse("2021-03-05T14:02:00Z")), NOW));
        // Seven months ago, and a day in the future: the year, like ls.
        assertEquals(true, ListingFormat.listLine(file("x", 1, Instant.parse("2025-08-10T00:00:00Z")), NOW).endsWith(" Aug 10  2025 x"));
        assertEquals(true, ListingFormat.listLine(file("x", 1, Instant.parse("2026-03-11T12:00:00Z")), NOW).endsWith(" Mar 11  2026 x"));
    }

    @Test
    void commonsNetUnixParserReadsOurListLines() {
        var parser = new UnixFTPEntryParser(new FTPClientConfig(FTPClientConfig.SYST_UNIX));
        FTPFile f = parser.parseFTPEntry(ListingFormat.listLine(file("with space.txt", 1234567890123L,
                Instant.parse("2026-01-02T03:04:00Z")), NOW));
        assertEquals("with space.txt", f.getName());
        assertEquals(1234567890123L, f.getSize());
        assertEquals(true, f.isFile());
        FTPFile d = parser.parseFTPEntry(ListingFormat.listLine(new FileFacts("dir", FileFacts.Kind.DIRECTORY, 4096,
                Instant.parse("2020-01-02T03:04:00Z"), "rwxr-xr-x", "1", false), NOW));
        assertEquals(true, d.isDirectory());
        assertEquals("dir", d.getName());
    }

    @Test
    void mlsdLineHasRfc3659Facts() {
        String line = ListingFormat.factsLine(file("a b.txt", 5, Instant.parse("2026-03-05T14:02:09Z")));
        assertEquals("type=file;size=5;modify=20260305140209;perm=adfrw;unique=803U1a2b;UNIX.mode=0644; a b.txt", line);
        FTPFile parsed = MLSxEntryParser.parseEntry(line);
        assertEquals("a b.txt", parsed.getName());
        assertEquals(5, parsed.getSize());
        assertEquals(true, parsed.hasPermission(FTPFile.USER_ACCESS, FTPFile.WRITE_PERMISSION));
        assertEquals(false, parsed.hasPermission(FTPFile.WORLD_ACCESS, FTPFile.WRITE_PERMISSION));
    }

    @Test
    void readOnlyDirectoryPermsAndNoSize() {
        var dir = new FileFacts("pub", FileFacts.Kind.DIRECTORY, 4096, Instant.EPOCH, "rwxr-xr-x", "2", false);
        assertEquals("type=dir;modify=19700101000000;perm=el;unique=2;UNIX.mode=0755; pub", ListingFormat.factsLine(dir));
    }

    @Test
    void unixModeIsTheListModeInOctal() {
        assertEquals("0644", ListingFormat.unixMode("rw-r--r--"));
        assertEquals("0750", ListingFormat.unixMode("rwxr-x---"));
        assertEquals("0000", ListingFormat.unixMode("---------"));
        assertEquals("0777", ListingFormat.unixMode("rwxrwxrwx"));
        assertEquals("0421", ListingFormat.unixMode("r---w---x"));
        var f = new FileFacts("x", FileFacts.Kind.FILE, 1, Instant.EPOCH, "r---w---x", "1", false);
        assertEquals("UNIX.mode=0421; x", ListingFormat.factsLine(f, EnumSet.of(ListingFormat.Fact.UNIX_MODE)));
    }

    @Test
    void modeMustBeWhatLsPrints() {
        for (String bad : List.of("rw-r--r-", "rw-r--r--x", "rwsr-xr-x", "wr-r--r--", "rw-r--r-T")) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new FileFacts("x", FileFacts.Kind.FILE, 1, Instant.EPOCH, bad, "1", false));
            assertEquals("mode must be 9 characters like rw-r--r--, got " + bad, e.getMessage());
        }
    }

    @Test
    void featListsEveryFactAndStarsTheSelectedOnes() {
        assertEquals("MLST type*;size*;modify*;perm*;unique*;UNIX.mode*;",
                ListingFormat.mlstFeature(EnumSet.allOf(ListingFormat.Fact.class)));
        assertEquals("MLST type;size;modify;perm;unique*;UNIX.mode*;",
                ListingFormat.mlstFeature(EnumSet.of(ListingFormat.Fact.UNIQUE, ListingFormat.Fact.UNIX_MODE)));
        var selected = ListingFormat.parseFactSelection("unix.MODE;size");
        assertEquals(EnumSet.of(ListingFormat.Fact.SIZE, ListingFormat.Fact.UNIX_MODE), selected);
        assertEquals("MLST OPTS size;UNIX.mode;", ListingFormat.factSelectionText(selected));
    }

    @Test
    void factSelectionFollowsOptsMlst() {
        var selected = ListingFormat.parseFactSelection("Type;SIZE;bogus;");
        assertEquals(EnumSet.of(ListingFormat.Fact.TYPE, ListingFormat.Fact.SIZE), selected);
        assertEquals("MLST OPTS type;size;", ListingFormat.factSelectionText(selected));
        assertEquals("type=file;size=5; f", ListingFormat.factsLine(file("f", 5, Instant.EPOCH), selected));
    }

    @Test
    void asciiTranslationBothWaysAcrossChunkBoundaries() {
        assertEquals("a\r\nb\r\nc\r\n", run(AsciiTranslator.toNetwork(), "a\nb\r", "\nc\n"));
        assertEquals("x\ny\nz\rq\r", run(AsciiTranslator.fromNetwork(), "x\r\ny\r", "\nz\rq\r"));
    }

    /** Feeds {@code chunks} one by one, then finishes, and returns everything written. */
    private static String run(AsciiTranslator translator, String... chunks) {
        var all = new java.io.ByteArrayOutputStream();
        byte[] out = new byte[64];
        for (String chunk : chunks) {
            byte[] in = chunk.getBytes(StandardCharsets.US_ASCII);
            all.write(out, 0, translator.translate(in, 0, in.length, out));
        }
        all.write(out, 0, translator.finish(out));
        return all.toString(StandardCharsets.US_ASCII);
    }
}
