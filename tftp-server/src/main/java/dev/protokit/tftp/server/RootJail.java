package dev.protokit.tftp.server;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Maps a TFTP file name onto the served root directory, and refuses every name that could reach
 * outside it: {@code ..} segments, NUL and other control characters, non-ASCII bytes,
 * backslashes, over-long names, and symbolic links whose target lies outside the root.
 *
 * <p>A leading {@code /} is accepted and means the root itself, as tftpd-hpa does with
 * {@code -s}: PXE firmware often asks for {@code /pxelinux.0}. {@code /etc/passwd} is therefore
 * {@code ROOT/etc/passwd}, never the host's file.
 *
 * <p>Reads follow symbolic links that stay inside the root (resolved with
 * {@link Path#toRealPath}); uploads never write through a link: the final component must be
 * absent or a regular file, and its directory must resolve inside the root.
 */
public final class RootJail {
    /** Longest file name accepted, in characters (Linux PATH_MAX is 4096 bytes). */
    public static final int MAX_NAME_LENGTH = 1024;
    /** Upload temporaries start with this; no request may name one. */
    static final String TEMP_PREFIX = ".tftp-upload-";

    private final Path root;

    /** A jail over {@code root}, which must be an existing directory given as a real path. */
    public RootJail(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("root " + root + " does not exist", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("root " + root + " is not a directory");
        }
    }

    /** The served directory, as a real path. */
    public Path root() {
        return root;
    }

    /**
     * The real path of an existing regular file inside the root, to be read.
     *
     * @throws TftpException ACCESS_VIOLATION for a hostile name or a link leaving the root,
     *     FILE_NOT_FOUND when nothing of that name exists
     */
    public Path resolveForRead(String name) {
        Path candidate = root.resolve(relative(name));
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new TftpException(ErrorCode.FILE_NOT_FOUND, "FILE_NOT_FOUND " + quote(name), e);
        } catch (IOException e) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION cannot resolve " + quote(name), e);
        }
        requireInside(real, name);
        if (!Files.isRegularFile(real)) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not a regular file " + quote(name));
        }
        if (!Files.isReadable(real)) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not readable " + quote(name));
        }
        return real;
    }

    /**
     * Where an upload of {@code name} lands: a path whose parent is a real directory inside the
     * root and whose last component is absent or a regular file (never a link).
     *
     * @param mayCreate whether a file that does not exist yet may be created
     * @throws TftpException ACCESS_VIOLATION for a hostile name, a link, a directory or an
     *     unwritable file; FILE_NOT_FOUND when the file or its directory is missing and may not
     *     be created
     */
    public Path resolveForWrite(String name, boolean mayCreate) {
        Path relative = relative(name);
        Path parent;
        try {
            Path p = root.resolve(relative).getParent();
            parent = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new TftpException(ErrorCode.FILE_NOT_FOUND, "FILE_NOT_FOUND no directory for " + quote(name), e);
        } catch (IOException e) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION cannot resolve " + quote(name), e);
        }
        requireInside(parent, name);
        if (!Files.isDirectory(parent)) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION no directory for " + quote(name));
        }
        Path target = parent.resolve(relative.getFileName().toString());
        if (Files.isSymbolicLink(target)) {
            throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION will not write through a link " + quote(name));
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not a regular file " + quote(name));
            }
            if (!Files.isWritable(target)) {
                throw new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION not writable " + quote(name));
            }
        } else if (!mayCreate) {
            // tftpd-hpa without -c answers a new name with "File not found" too.
            throw new TftpException(ErrorCode.FILE_NOT_FOUND, "FILE_NOT_FOUND and --allow-create is off " + quote(name));
        }
        return target;
    }

    /**
     * The name as a relative path of plain segments, or ACCESS_VIOLATION. Checks the text before
     * touching the file system, so hostile names never reach a system call.
     */
    static Path relative(String name) {
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
        return Path.of(clean.toString());
    }

    private void requireInside(Path real, String name) {
        if (!real.startsWith(root)) {
            throw refuse("resolves outside the root", name);
        }
    }

    private static TftpException refuse(String why, String name) {
        return new TftpException(ErrorCode.ACCESS_VIOLATION, "ACCESS_VIOLATION " + why + " in " + quote(name));
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
