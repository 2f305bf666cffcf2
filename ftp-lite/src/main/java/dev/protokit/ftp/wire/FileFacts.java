package dev.protokit.ftp.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a listing says about one directory entry, gathered by the server from the file system
 * and formatted by {@link ListingFormat}. Pure data: no paths, no I/O.
 *
 * @param name     the entry's name (one path segment, or a virtual path for MLST)
 * @param kind     file or directory
 * @param size     size in bytes (directories: whatever the file system says)
 * @param modified last modification time
 * @param mode     the nine {@code rwx} permission characters of {@code ls -l}, e.g. {@code rw-r--r--}
 * @param unique   an identifier equal for two names of the same object (RFC 3659 section 7.5.2)
 * @param writable whether this session may change the entry (drives the perm fact)
 */
public record FileFacts(String name, Kind kind, long size, Instant modified, String mode, String unique,
                        boolean writable) {

    /** What ls -l prints after the type letter: each place its own letter or '-'. */
    private static final Pattern MODE = Pattern.compile("([r-][w-][x-]){3}");

    /** The entry types this server lists. */
    public enum Kind { FILE, DIRECTORY }

    public FileFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unique, "unique");
        if (!MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be 9 characters like rw-r--r--, got " + mode);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    /** These facts under another name (MLST reports the path it was asked about). */
    public FileFacts withName(String newName) {
        return new FileFacts(newName, kind, size, modified, mode, unique, writable);
    }
}
