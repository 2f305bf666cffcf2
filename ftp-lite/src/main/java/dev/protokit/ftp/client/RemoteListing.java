package dev.protokit.ftp.client;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.net.ftp.FTPFile;

/**
 * Lists remote directories with MLSD when the server offers MLST (RFC 3659: machine-readable,
 * exact sizes and UTC times) and falls back to LIST parsed by commons-net otherwise (vsftpd).
 */
final class RemoteListing {
    private final FtpSession session;
    private Optional<Boolean> mlsd = Optional.empty();

    RemoteListing(FtpSession session) {
        this.session = session;
    }

    /** The entries of directory {@code path}, without {@code .} and {@code ..}. */
    List<RemoteEntry> list(String path) throws IOException {
        boolean machine = usesMlsd();
        FTPFile[] files = machine ? session.client().mlistDir(path) : session.client().listFiles(path);
        int code = session.client().getReplyCode();
        if (code >= 400) {
            throw session.failure("listing " + path);
        }
        List<RemoteEntry> entries = new ArrayList<>(files.length);
        for (FTPFile file : files) {
            if (file == null || file.getName() == null) {
                continue;
            }
            String name = machine ? file.getName() : stripPath(file.getName());
            if (name.equals(".") || name.equals("..") || name.isEmpty()) {
                continue;
            }
            entries.add(toEntry(name, file, machine));
        }
        return entries;
    }

    /** Whether listings are machine-readable (MLSD), so sizes and times are exact. */
    boolean usesMlsd() throws IOException {
        if (mlsd.isEmpty()) {
            mlsd = Optional.of(session.client().hasFeature("MLST"));
        }
        return mlsd.get();
    }

    private static RemoteEntry toEntry(String name, FTPFile file, boolean exact) {
        RemoteEntry.Kind kind = file.isDirectory() ? RemoteEntry.Kind.DIRECTORY
                : file.isSymbolicLink() ? RemoteEntry.Kind.LINK
                : file.isFile() ? RemoteEntry.Kind.FILE : RemoteEntry.Kind.OTHER;
        OptionalLong size = file.getSize() >= 0 ? OptionalLong.of(file.getSize()) : OptionalLong.empty();
        Optional<Instant> modified = exact && file.getTimestampInstant() != null
                ? Optional.of(file.getTimestampInstant()) : Optional.empty();
        return new RemoteEntry(name, kind, size, modified);
    }

    /** Some servers answer {@code LIST dir} with {@code dir/name}; keep the last part only. */
    private static String stripPath(String name) {
        int slash = name.lastIndexOf('/');
        return slash >= 0 && slash < name.length() - 1 ? name.substring(slash + 1) : name;
    }
}
