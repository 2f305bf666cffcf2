package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One user's view of the file system: a virtual tree whose "/" is the user's home directory,
 * and a current directory inside it. Every path a command names goes through {@link #resolve}
 * and nothing outside the home is ever reached:
 *
 * <ul>
 *   <li>absolute paths are taken inside the virtual root ({@code /etc/passwd} is {@code HOME/etc/passwd});
 *   <li>{@code ..} that would climb above the root is refused (never clamped), inside it is ordinary;
 *   <li>NUL, CR and LF in names are refused (they would truncate a path or forge a reply);
 *   <li>symbolic links are followed only when their target is inside the home; a dangling link
 *       is refused, since its target could be created later;
 *   <li>the server's own upload temporaries ({@value #TEMP_PREFIX}*) are invisible and unreachable.
 * </ul>
 *
 * Refusals are 550 replies that do not echo real paths. Confined to the session thread.
 */
public final class VirtualFileSystem {
    /** Prefix of the temporary files uploads are written to before being renamed into place. */
    public static final String TEMP_PREFIX = ".ftp-lite-upload-";

    private final Path home;
    private List<String> cwd = List.of();

    /** A view rooted at {@code home}, which must be a real path (symlinks resolved). */
    public VirtualFileSystem(Path home) {
        this.home = Objects.requireNonNull(home, "home");
    }

    public Path home() {
        return home;
    }

    /** The current directory as a virtual absolute path, e.g. {@code /docs}. */
    public String cwd() {
        return toVirtual(cwd);
    }

    /** Changes the current directory; the target must be a directory inside the home. */
    public void changeDirectory(String argument) {
        List<String> segments = segments(argument);
        Path real = confined(segments);
        if (!Files.isDirectory(real)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such directory.");
        }
        cwd = segments;
    }

    /** The confined local path named by {@code argument}; it may not exist yet (STOR, MKD). */
    public Path resolve(String argument) {
        return confined(segments(argument));
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

    /** The local path of {@code segments}, checked against symbolic links that leave the home. */
    private Path confined(List<String> segments) {
        Path path = home;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        if (!path.normalize().startsWith(home)) {
            // A segment the OS reads differently (cannot happen on POSIX after the checks above).
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Path leads outside the home directory.");
        }
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.exists(path)) {
                    throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Dangling link refused.");
                }
                checkInside(path.toRealPath());
            } else {
                Path parent = path.getParent();
                if (parent == null || !Files.isDirectory(parent)) {
                    throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory.");
                }
                checkInside(parent.toRealPath());
            }
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory.", e);
        }
        return path;
    }

    private void checkInside(Path real) {
        if (!real.startsWith(home)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Path leads outside the home directory.");
        }
    }

    private static String toVirtual(List<String> segments) {
        return "/" + String.join("/", segments);
    }
}
