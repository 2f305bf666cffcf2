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
import java.util.ArrayDeque;
import java.util.Deque;
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
     * NLST returns for {@code mget}, and vsftpd and ProFTPD name them so too. {@code recursive}
     * ({@code LIST -R}, {@code NLST -1R}: {@code ncftpls -R} and {@code -g}) lists the
     * directories below too, under headers instead of prefixes.
     */
    record Selection(Optional<PathMatcher> glob, String nlstPrefix, boolean recursive) {}

    /** How many directories below the first one {@code LIST -R} lists at most (vsftpd offers no -R by default). */
    static final int MAX_RECURSIVE_DIRECTORIES = 10_000;

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
        boolean directory = root.stat(path).isDirectory();
        List<FileFacts> entries = directory ? Listings.list(root, path, writable)
                : Listings.facts(root, path, path.substring(path.lastIndexOf('/') + 1), writable).stream().toList();
        if (selection.glob().isPresent()) {
            PathMatcher glob = selection.glob().get();
            entries = entries.stream().filter(f -> glob.matches(Path.of(f.name()))).toList();
        }
        boolean recursive = selection.recursive() && directory && selection.glob().isEmpty();
        if (format == Format.NLST && !recursive && !selection.nlstPrefix().isEmpty()) {
            entries = entries.stream().map(f -> f.withName(selection.nlstPrefix() + f.name())).toList();
        }
        Instant now = clock.instant();
        OutputStream out = new BufferedOutputStream(data.out(), 64 * 1024);
        long sent = write(out, transfer, entries, now);
        if (recursive) {
            sent += writeSubdirectories(out, transfer, now);
        }
        out.flush();
        return sent;
    }

    /**
     * {@code ls -R} after the first directory, depth first as ls does: for each directory below,
     * a blank line, its path and a colon ({@code ./sub:} under the working directory, {@code tree/sub:}
     * for {@code LIST -R tree}), then its entries. NcFTP's parser takes a header only after a blank
     * line, so the first directory has none (as in vsftpd). Links are listed, never entered, and
     * at most {@link #MAX_RECURSIVE_DIRECTORIES} directories are.
     */
    private long writeSubdirectories(OutputStream out, Transfer transfer, Instant now) throws IOException {
        String shownBase = selection.nlstPrefix().isEmpty() ? "./" : selection.nlstPrefix();
        Deque<String[]> todo = new ArrayDeque<>(); // {path under the home, path as shown}
        pushSubdirectories(todo, path, shownBase);
        long sent = 0;
        for (int listed = 0; !todo.isEmpty() && listed < MAX_RECURSIVE_DIRECTORIES; listed++) {
            String[] dir = todo.pop();
            List<FileFacts> entries;
            try {
                entries = Listings.list(root, dir[0], writable);
            } catch (IOException e) { // unreadable, or gone since its parent was listed: ls -R goes on too
                continue;
            }
            sent += line(out, transfer, "");
            sent += line(out, transfer, dir[1] + ":");
            sent += write(out, transfer, entries, now);
            pushSubdirectories(todo, dir[0], dir[1] + "/");
        }
        return sent;
    }

    private void pushSubdirectories(Deque<String[]> todo, String dir, String shown) {
        List<String> names;
        try {
            names = Listings.subdirectories(root, dir);
        } catch (IOException e) {
            return;
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            String name = names.get(i);
            todo.push(new String[] {dir.isEmpty() ? name : dir + "/" + name, shown + name});
        }
    }

    private long write(OutputStream out, Transfer transfer, List<FileFacts> entries, Instant now) throws IOException {
        long sent = 0;
        for (FileFacts f : entries) {
            sent += line(out, transfer, switch (format) {
                case LIST -> ListingFormat.listLine(f, now);
                case NLST -> ListingFormat.nameLine(f);
                case MLSD -> ListingFormat.factsLine(f, facts);
            });
        }
        return sent;
    }

    private static long line(OutputStream out, Transfer transfer, String line) throws IOException {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        transfer.progress(bytes.length);
        return bytes.length;
    }
}
