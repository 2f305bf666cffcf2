package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FileFacts;
import dev.protokit.ftp.wire.ListingFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * LIST, NLST and MLSD over the data connection: one line per entry, UTF-8 (RFC 2640), CRLF.
 * The directory is read on the transfer thread, so a huge directory can be aborted.
 */
final class ListingBody implements Transfer.Body {

    /** Which listing format. */
    enum Format { LIST, NLST, MLSD }

    private final Path path;
    private final Path home;
    private final boolean writable;
    private final Format format;
    private final Clock clock;
    private final Set<ListingFormat.Fact> facts;

    ListingBody(Path path, Path home, boolean writable, Format format, Clock clock, Set<ListingFormat.Fact> facts) {
        this.facts = EnumSet.noneOf(ListingFormat.Fact.class);
        this.facts.addAll(facts);
        this.path = path;
        this.home = home;
        this.writable = writable;
        this.format = format;
        this.clock = clock;
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        List<FileFacts> entries = Files.isDirectory(path) ? Listings.list(path, home, writable)
                : Listings.facts(path, path.getFileName().toString(), home, writable).stream().toList();
        Instant now = clock.instant();
        OutputStream out = new BufferedOutputStream(data.out(), 64 * 1024);
        long sent = 0;
        for (FileFacts f : entries) {
            String line = switch (format) {
                case LIST -> ListingFormat.listLine(f, now);
                case NLST -> ListingFormat.nameLine(f);
                case MLSD -> ListingFormat.factsLine(f, facts);
            };
            byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            sent += bytes.length;
            transfer.progress(bytes.length);
        }
        out.flush();
        return sent;
    }
}
