package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Recursive copy of a directory tree, down ({@code mirror REMOTE LOCAL}) or up
 * ({@code mirror --reverse REMOTE LOCAL}). A file is sent when the other side lacks it or its
 * size differs, or its modification time differs where both sides know it exactly (MLSD, and
 * MFMT to set it when uploading). Symbolic links are skipped, never followed or written through.
 *
 * <p>The server's listing is untrusted: a name with a slash, {@code ..} or a control character
 * stops the mirror instead of escaping LOCAL, and trees deeper than {@value #MAX_DEPTH} are refused.
 */
final class Mirror {
    static final int MAX_DEPTH = 64;
    private static final DateTimeFormatter MFMT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    /** What a mirror did. */
    record Summary(int files, long bytes, int upToDate, int directories, int skipped) {
        @Override
        public String toString() {
            return files + " files (" + bytes + " bytes) transferred, " + upToDate + " up to date, "
                    + directories + " directories created, " + skipped + " skipped";
        }
    }

    private final FtpSession session;
    private final RemoteListing listing;
    private final Transfers transfers;
    private final PrintWriter err;
    private final boolean resume;
    private int files;
    private long bytes;
    private int upToDate;
    private int directories;
    private int skipped;

    Mirror(FtpSession session, Transfers transfers, PrintWriter err, boolean resume) {
        this.session = session;
        this.listing = new RemoteListing(session);
        this.transfers = transfers;
        this.err = err;
        this.resume = resume;
    }

    Summary down(String remote, Path local) throws IOException {
        down(remote, local, 0);
        return summary();
    }

    Summary up(Path local, String remote) throws IOException {
        if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
            throw FtpCliException.local(local + " is not a directory", null);
        }
        boolean exactTimes = listing.usesMlsd() && session.client().hasFeature("MFMT");
        up(local, remote, 0, exactTimes);
        return summary();
    }

    private void down(String remote, Path local, int depth) throws IOException {
        checkDepth(depth, remote);
        if (Files.isSymbolicLink(local) || Files.exists(local) && !Files.isDirectory(local)) {
            throw FtpCliException.local(local + " exists and is not a directory", null);
        }
        if (!Files.isDirectory(local)) {
            createLocalDirectory(local);
        }
        for (RemoteEntry entry : listing.list(remote)) {
            if (!RemoteEntry.isSafeName(entry.name())) {
                throw FtpCliException.remote("unsafe name in the listing of " + remote + ": \"" + printable(entry.name())
                        + "\"; mirror stopped");
            }
            String remotePath = join(remote, entry.name());
            Path localPath = local.resolve(entry.name());
            switch (entry.kind()) {
                case DIRECTORY -> down(remotePath, localPath, depth + 1);
                case FILE -> downloadIfChanged(entry, remotePath, localPath);
                case LINK, OTHER -> skip(remotePath, "not a plain file");
            }
        }
    }

    private void downloadIfChanged(RemoteEntry entry, String remotePath, Path localPath) throws IOException {
        if (Files.isSymbolicLink(localPath) || Files.isDirectory(localPath)) {
            skip(localPath.toString(), "local side is a link or directory");
            return;
        }
        boolean exists = Files.isRegularFile(localPath);
        long localSize = exists ? Files.size(localPath) : -1;
        Instant localTime = exists ? Files.getLastModifiedTime(localPath).toInstant() : Instant.EPOCH;
        boolean sameSize = entry.size().isPresent() && entry.size().getAsLong() == localSize;
        boolean sameTime = entry.modified().map(t -> sameSecond(t, localTime)).orElse(true);
        if (sameSize && sameTime) {
            upToDate++;
            return;
        }
        // A stale copy is replaced through a temporary file; only a shorter one is resumed, with -c.
        boolean partial = resume && exists && entry.size().isPresent() && localSize < entry.size().getAsLong();
        Transfers.Result result = transfers.get(remotePath, localPath, partial);
        count(result);
        if (entry.modified().isPresent()) {
            Files.setLastModifiedTime(localPath, FileTime.from(entry.modified().get()));
        }
    }

    private void up(Path local, String remote, int depth, boolean exactTimes) throws IOException {
        checkDepth(depth, local.toString());
        if (!session.isDirectory(remote)) {
            session.check(session.client().makeDirectory(remote), "MKD " + remote);
            directories++;
        }
        Map<String, RemoteEntry> existing = listing.list(remote).stream()
                .collect(Collectors.toMap(RemoteEntry::name, Function.identity(), (a, b) -> a));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(local)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (!RemoteEntry.isSafeName(name)) {
                skip(child.toString(), "name has a control character");
            } else if (Files.isSymbolicLink(child)) {
                skip(child.toString(), "symbolic link");
            } else if (Files.isDirectory(child)) {
                up(child, join(remote, name), depth + 1, exactTimes);
            } else if (Files.isRegularFile(child)) {
                uploadIfChanged(child, join(remote, name), existing.get(name), exactTimes);
            } else {
                skip(child.toString(), "not a plain file");
            }
        }
    }

    private void uploadIfChanged(Path local, String remotePath, RemoteEntry remote, boolean exactTimes) throws IOException {
        Instant localTime = Files.getLastModifiedTime(local).toInstant();
        long localSize = Files.size(local);
        if (remote != null && remote.size().isPresent() && remote.size().getAsLong() == localSize
                && (!exactTimes || remote.modified().map(t -> sameSecond(t, localTime)).orElse(false))) {
            upToDate++;
            return;
        }
        boolean partial = resume && remote != null && remote.size().isPresent() && remote.size().getAsLong() < localSize;
        count(transfers.put(local, remotePath, partial));
        if (exactTimes) {
            session.client().setModificationTime(remotePath, MFMT.format(localTime)); // best effort
        }
    }

    private void count(Transfers.Result result) {
        files += result.skipped() ? 0 : 1;
        upToDate += result.skipped() ? 1 : 0;
        bytes += result.bytes();
    }

    private void skip(String what, String why) {
        skipped++;
        err.println("ftp-lite: skipping " + printable(what) + ": " + why);
        err.flush();
    }

    private void createLocalDirectory(Path local) {
        try {
            Files.createDirectories(local);
            directories++;
        } catch (IOException e) {
            throw FtpCliException.local("cannot create directory " + local + ": " + e.getMessage(), e);
        }
    }

    private Summary summary() {
        return new Summary(files, bytes, upToDate, directories, skipped);
    }

    private static void checkDepth(int depth, String where) {
        if (depth > MAX_DEPTH) {
            throw FtpCliException.remote("tree deeper than " + MAX_DEPTH + " levels at " + where + "; mirror stopped");
        }
    }

    private static boolean sameSecond(Instant a, Instant b) {
        return a.truncatedTo(ChronoUnit.SECONDS).equals(b.truncatedTo(ChronoUnit.SECONDS));
    }

    static String join(String directory, String name) {
        if (directory.equals(".") || directory.isEmpty()) {
            return name;
        }
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c)));
        return out.toString();
    }
}
