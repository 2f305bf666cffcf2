package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.FileStat;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * STOU (RFC 959 4.1.3): an upload under a name no other file has. The name is chosen and
 * <em>reserved</em> before the 150 reply that announces it (RFC 1123 4.1.2.9: {@code 150 FILE:
 * name}): an empty file is created under it exclusively ({@code O_CREAT|O_EXCL}), so two STOUs
 * at once never get the same name and nothing that exists is ever overwritten. The finished
 * upload is renamed over that placeholder like any other; a failed one removes it again.
 *
 * <p>An argument is the base, as vsftpd and wu-ftpd take it: {@code STOU report.txt} stores
 * {@code report.txt} when that is free, else {@code report.txt.1}, {@code report.txt.2}...
 * (ProFTPD and Pure-FTPd accept an argument and ignore it; RFC 959 defines none). A directory
 * part puts the file there, confined to the home like every path. Without a name (or with only
 * a directory) the server makes one up: {@code ftp-} and 16 random hex digits.
 */
final class UniqueUpload implements Transfer.Body {
    /** The last numbered name tried before STOU gives up (vsftpd tries without end). */
    static final int MAX_SUFFIX = 9999;

    /**
     * A reserved name: {@code target} relative to the home, {@code shown} as the client wrote its
     * directory part (for the 150 reply), and the placeholder's identity.
     */
    record Reserved(String target, String shown, FileStat placeholder) {}

    private final Upload upload;
    private final ConfinedRoot root;
    private final Reserved name;
    private volatile boolean committed;

    UniqueUpload(Upload upload, ConfinedRoot root, Reserved name) {
        this.upload = upload;
        this.root = root;
        this.name = name;
    }

    /** Picks the name for {@code argument} ("" if none) and creates its empty placeholder. */
    static Reserved reserve(VirtualFileSystem fs, String argument) {
        String given = argument.strip();
        int slash = given.lastIndexOf('/');
        String directory = given.substring(0, slash + 1);
        String base = given.substring(slash + 1);
        for (int n = 0; n <= MAX_SUFFIX; n++) {
            String candidate = base.isEmpty() ? generated() : n == 0 ? base : base + "." + n;
            String target = fs.resolve(directory + candidate);
            if (VirtualFileSystem.isHidden(candidate) || target.isEmpty()) {
                throw new FtpException(ReplyCode.FILE_NAME_NOT_ALLOWED, "File name not allowed.");
            }
            try {
                fs.root().createNew(target, 0666).close();
                return new Reserved(target, directory + candidate, fs.root().lstat(target));
            } catch (FileAlreadyExistsException e) {
                // taken (by a file, a directory, a link or another STOU): try the next name
            } catch (NoSuchFileException e) {
                throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such directory.", e);
            } catch (IOException e) {
                throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Could not create file.", e);
            }
        }
        throw new FtpException(ReplyCode.FILE_NAME_NOT_ALLOWED,
                "No unique name left: " + base + " up to " + base + "." + MAX_SUFFIX + " are taken.");
    }

    private static String generated() {
        return "ftp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Removes the placeholder, unless something else has taken its place meanwhile. */
    static void release(ConfinedRoot root, Reserved name) {
        try {
            FileStat now = root.lstat(name.target());
            FileStat placeholder = name.placeholder();
            if (now.isRegularFile() && now.size() == 0
                    && now.device() == placeholder.device() && now.inode() == placeholder.inode()) {
                root.delete(name.target());
            }
        } catch (IOException e) {
            // gone already: nothing to release
        }
    }

    @Override
    public long run(DataConnection data, Transfer transfer) throws IOException {
        return upload.run(data, transfer);
    }

    @Override
    public long settleDeadline() {
        return upload.settleDeadline();
    }

    @Override
    public void finish() throws IOException {
        upload.finish();
    }

    @Override
    public void commit() throws IOException {
        upload.commit();
        committed = true;
    }

    @Override
    public void cleanup() {
        try {
            upload.cleanup();
        } finally {
            if (!committed) {
                release(root, name);
            }
        }
    }
}
