package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.FileStat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One user's view of the file system: a virtual tree whose "/" is the user's home directory,
 * and a current directory inside it. Every path a command names goes through {@link #resolve},
 * which turns it into a path relative to the home, and every file operation goes through the
 * home's {@link ConfinedRoot}, which resolves that path beneath the home in the same system call
 * that uses it, so nothing outside the home is ever reached, even by a link swapped meanwhile:
 *
 * <ul>
 *   <li>absolute paths are taken inside the virtual root ({@code /etc/passwd} is {@code HOME/etc/passwd});
 *   <li>{@code ..} that would climb above the root is refused (never clamped), inside it is ordinary;
 *   <li>NUL, CR and LF in names are refused (they would truncate a path or forge a reply);
 *   <li>symbolic links are followed while they stay inside the home; links leading out (or
 *       absolute, or dangling) are refused by the operation that meets them;
 *   <li>the server's own upload temporaries ({@value #TEMP_PREFIX}*) are invisible and unreachable.
 * </ul>
 *
 * Refusals are 550 replies that do not echo real paths. Confined to the session thread (the
 * {@link ConfinedRoot} itself is thread-safe and is shared with the session's transfers).
 */
public final class VirtualFileSystem implements AutoCloseable {
    /** Prefix of the temporary files uploads are written to before being renamed into place. */
    public static final String TEMP_PREFIX = ".ftp-lite-upload-";

    private final ConfinedRoot root;
    private List<String> cwd = List.of();

    /** A view of {@code root}, which the view now owns (closed with it). */
    public VirtualFileSystem(ConfinedRoot root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The home, through which every file operation goes. */
    public ConfinedRoot root() {
        return root;
    }

    public Path home() {
        return root.path();
    }

    /** The current directory as a virtual absolute path, e.g. {@code /docs}. */
    public String cwd() {
        return toVirtual(cwd);
    }

    /** Changes the current directory; the target must be a directory inside the home. */
    public void changeDirectory(String argument) {
        List<String> segments = segments(argument);
        if (stat(String.join("/", segments)).filter(FileStat::isDirectory).isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such directory.");
        }
        cwd = segments;
    }

    /**
     * The path named by {@code argument}, relative to the home ({@code ""} is the home itself),
     * for the {@link #root()}'s operations. It may not exist yet (STOR, MKD).
     */
    public String resolve(String argument) {
        return String.join("/", segments(argument));
    }

    /** What {@code path} (from {@link #resolve}) leads to; empty if missing or refused. */
    public Optional<FileStat> stat(String path) {
        try {
            return Optional.of(root.stat(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What {@code path} itself is, a link not followed; empty if missing or refused. */
    public Optional<FileStat> lstat(String path) {
        try {
            return Optional.of(root.lstat(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Closes the home's descriptor (at the end of the session or a new login). */
    @Override
    public void close() {
        root.close();
    }

    /** The virtual absolute path named by {@code argument}, normalised, without touching the disk. */
    public String virtualPath(String argument) {
        return toVirtual(segments(argument));
    }

    /** True if {@code name} is one of the server's upload temporaries, hidden from listings. */
    public static boolean isHidden(String name) {
        return name.startsWith(TEMP_PREFIX);
    }

    /** Splits and normalises {@code argument} against the current directory. */
    List<String> segments(String argument) {
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\0' || c == '\r' || c == '\n') {
                throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "File name not allowed.");
            }
        }
        var out = new ArrayList<String>(argument.startsWith("/") ? List.of() : cwd);
        for (String part : argument.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (out.isEmpty()) {
                    throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Path leads outside the home directory.");
                }
                out.removeLast();
            } else if (isHidden(part)) {
                throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "File name not allowed.");
            } else {
                out.add(part);
            }
        }
        return List.copyOf(out);
    }

    private static String toVirtual(List<String> segments) {
        return "/" + String.join("/", segments);
    }
}
