package dev.protokit.tftp.server;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.ConfinementException;
import dev.protokit.common.fs.FileStat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Maps a TFTP file name onto the served root directory, and refuses every name that could reach
 * outside it: {@code ..} segments, NUL and other control characters, non-ASCII bytes,
 * backslashes, over-long names, and symbolic links that leave the root.
 *
 * <p>A leading {@code /} is accepted and means the root itself, as tftpd-hpa does with
 * {@code -s}: PXE firmware often asks for {@code /pxelinux.0}. {@code /etc/passwd} is therefore
 * {@code ROOT/etc/passwd}, never the host's file.
 *
 * <p>The text checks happen here, before any system call; the file system is then only reached
 * through the root's {@link ConfinedRoot}, which resolves a name beneath the root in the same
 * call that opens it, so a link or directory swapped between this check and the transfer can
 * never lead outside ({@link Target}). Reads follow symbolic links that stay inside the root
 * (relative ones; absolute links and magic links are refused); uploads never write through a
 * link: the final component must be absent or a regular file.
 */
public final class RootJail implements AutoCloseable {
    /** Longest file name accepted, in characters (Linux PATH_MAX is 4096 bytes). */
    public static final int MAX_NAME_LENGTH = 1024;
    /** Upload temporaries start with this; no request may name one. */
    static final String TEMP_PREFIX = ".tftp-upload-";

    private final ConfinedRoot root;

    /** A name the jail accepted, relative to the root; opened there, never by a path. */
    public record Target(ConfinedRoot root, String path) {
        public Target {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(path, "path");
        }

        /** Opens the file for an RRQ (a regular file, resolved beneath the root again, in one step). */
        public FileChannel openRead() throws IOException {
            return root.openRead(path);
        }

        /** The directory part of the path ({@code ""} for the root). */
        String parent() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }

        /** The last component: the file's name in {@link #parent()}. */
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** A file found for an RRQ, and its size when it was found (the tsize to offer). */
    public record Readable(Target target, long size) {}

    /** A jail over {@code root}, which must be an existing directory. */
    public RootJail(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            this.root = ConfinedRoot.open(root);
        } catch (IOException e) {
            throw new IllegalArgumentException("root " + root + " is not an existing directory", e);
        }
    }

    /** The served directory, as a real path. */
    public Path root() {
        return root.path();
    }

    /**
     * An existing regular file inside the root, to be read, and its size now (for tsize).
     *
     * @throws TftpException ACCESS_VIOLATION for a hostile name or a link leaving the root,
     *     FILE_NOT_FOUND when nothing of that name exists
     */
    public Readable resolveForRead(String name) {
        Target target = new Target(root, relative(name));
        FileStat stat = stat(target.path(), name, "");
        if (!stat.isRegularFile()) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not a regular file " + quote(name));
        }
        return new Readable(target, stat.size());
    }

    /**
     * Where an upload of {@code name} lands: a directory inside the root, and a last component
     * that is absent or a regular file (never a link).
     *
     * @param mayCreate whether a file that does not exist yet may be created
     * @throws TftpException ACCESS_VIOLATION for a hostile name, a link, a directory or an
     *     unwritable file; FILE_NOT_FOUND when the file or its directory is missing and may not
     *     be created
     */
    public Target resolveForWrite(String name, boolean mayCreate) {
        Target target = new Target(root, relative(name));
        if (!stat(target.parent(), name, "no directory for ").isDirectory()) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION no directory for " + quote(name));
        }
        FileStat existing;
        try {
            existing = root.lstat(target.path());
        } catch (NoSuchFileException e) {
            if (!mayCreate) {
                // tftpd-hpa without -c answers a new name with "File not found" too.
                throw new TftpException(ErrorCode.FILE_NOT_FOUND, "FILE_NOT_FOUND and --allow-create is off " + quote(name), e);
            }
            return target;
        } catch (IOException e) {
            throw refuse("cannot resolve", name, e);
        }
        if (existing.isSymbolicLink()) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION will not write through a link " + quote(name));
        }
        if (!existing.isRegularFile()) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not a regular file " + quote(name));
        }
        if ((existing.mode() & 0222) == 0) {
            // A server running as root opens any file for writing whatever its mode: a file that
            // no one may write (chmod a-w) is kept, as tftpd-hpa keeps one that is not world-writable.
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION no write permission on " + quote(name));
        }
        try (var dir = root.directory(target.parent())) {
            dir.openWrite(target.name()).close(); // the permission check of a real open, confined
        } catch (IOException e) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not writable " + quote(name), e);
        }
        return target;
    }

    /** Closes the root's descriptor (server shutdown). */
    @Override
    public void close() {
        root.close();
    }

    private FileStat stat(String path, String name, String what) {
        try {
            return root.stat(path);
        } catch (NoSuchFileException e) {
            throw new TftpException(ErrorCode.FILE_NOT_FOUND, "FILE_NOT_FOUND " + what + quote(name), e);
        } catch (ConfinementException e) {
            throw refuse("resolves outside the root", name, e);
        } catch (IOException e) {
            throw refuse("cannot resolve", name, e);
        }
    }

    /**
     * The name as a relative path of plain segments, or ACCESS_VIOLATION. Checks the text before
     * touching the file system, so hostile names never reach a system call.
     */
    static String relative(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw refuse("length " + name.length(), name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw refuse("control character 0x%02x".formatted((int) c), name);
            }
            if (c > 0x7f) {
                // RFC 1350 section 5: the file name is netascii. Bytes above 0x7f would map to
                // file names through the JVM's locale-dependent encoding, so they are refused.
                throw refuse("non-ASCII byte 0x%02x".formatted((int) c), name);
            }
            if (c == '\\') {
                throw refuse("backslash", name);
            }
        }
        StringBuilder clean = new StringBuilder(name.length());
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue; // a leading '/' or "a//b" or "./a": relative to the root, like tftpd-hpa -s
            }
            if (segment.equals("..")) {
                throw refuse("'..' segment", name);
            }
            if (segment.length() > 255) {
                throw refuse("segment longer than 255", name);
            }
            if (segment.startsWith(TEMP_PREFIX)) {
                throw refuse("upload temporary", name);
            }
            if (!clean.isEmpty()) {
                clean.append('/');
            }
            clean.append(segment);
        }
        if (clean.isEmpty()) {
            throw refuse("names the root itself", name);
        }
        return clean.toString();
    }

    private static TftpException refuse(String why, String name) {
        return new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION " + why + " in " + quote(name));
    }

    private static TftpException refuse(String why, String name, IOException cause) {
        return new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION " + why + " in " + quote(name), cause);
    }

    /** The name for a log line: quoted, non-printable characters as \xNN, at most 200 characters. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < name.length() && b.length() < 200; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '\'') {
                b.append(c < 0x100 ? "\\x%02x".formatted((int) c) : "\\u%04x".formatted((int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(name.length() > 200 ? "...'" : "'").toString();
    }
}
