package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.ftp.wire.FileFacts;
import dev.protokit.ftp.wire.ListingFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * LIST, NLST and MLSD over the data connection: one line per entry, UTF-8 (RFC 2640), CRLF.
 * The directory is read on the transfer thread, so a huge directory can be aborted.
 */
final class ListingBody implements Transfer.Body {

    /** Which listing format. */
    enum Format { LIST, NLST, MLSD }

    /**
     * Which entries, under which names: those whose names {@code glob} matches (a wildcard in the
     * last component, {@code mget *.txt}) or all, and NLST names prefixed with {@code nlstPrefix},
     * the directory part of the path the client gave ({@code sub/} for {@code NLST sub},
     * {@code NLST sub/d.txt} and {@code NLST sub/*.txt}): inetutils-ftp and tnftp RETR each name
     * NLST returns for {@code mget}, and vsftpd and ProFTPD name them so too.
     */
    record Selection(Optional<PathMatcher> glob, String nlstPrefix) {}

    private final ConfinedRoot root;
    private final String path;
    private final boolean writable;
    private final Format format;
    private final Clock clock;
    private final Set<ListingFormat.Fact> facts;
    private final Selection selection;

    /** A listing of {@code path}, relative to {@code root} (the session's home), of the entries {@code selection} names. */
    ListingBody(ConfinedRoot root, String path, boolean writable, Format format, Clock clock, Set<ListingFormat.Fact> facts,
                Selection selection) {
        this.selection = selection;
        this.facts = EnumSet.noneOf(ListingFormat.Fact.class);
        this.facts.addAll(facts);
        this.root = root;
        this.path = path;
        this.writable = writable;
        this.format = format;
        this.clock = clock;
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        List<FileFacts> entries = root.stat(path).isDirectory() ? Listings.list(root, path, writable)
                : Listings.facts(root, path, path.substring(path.lastIndexOf('/') + 1), writable).stream().toList();
        if (selection.glob().isPresent()) {
            PathMatcher glob = selection.glob().get();
            entries = entries.stream().filter(f -> glob.matches(Path.of(f.name()))).toList();
        }
        if (format == Format.NLST && !selection.nlstPrefix().isEmpty()) {
            entries = entries.stream().map(f -> f.withName(selection.nlstPrefix() + f.name())).toList();
        }
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
