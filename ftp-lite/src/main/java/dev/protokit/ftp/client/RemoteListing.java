package dev.protokit.ftp.client;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;

/**
 * Lists remote directories with MLSD when the server offers MLST (RFC 3659: machine-readable,
 * exact sizes and UTC times) and falls back to LIST parsed by commons-net otherwise (vsftpd).
 */
final class RemoteListing {
    private final FtpSession session;
    private Optional<Boolean> mlsd = Optional.empty();
    private Optional<String> parserKey = Optional.empty();

    RemoteListing(FtpSession session) {
        this.session = session;
    }

    /** The entries of directory {@code path}, without {@code .} and {@code ..}. */
    List<RemoteEntry> list(String path) throws IOException {
        boolean machine = usesMlsd();
        FTPFile[] files = machine ? session.client().mlistDir(path)
                : session.client().initiateListParsing(parserKey(), path).getFiles();
        int code = session.client().getReplyCode();
        if (code >= 400) {
            throw session.failure("listing " + path);
        }
        List<RemoteEntry> entries = new ArrayList<>(files.length);
        for (FTPFile file : files) {
            if (file == null || file.getName() == null) {
                continue;
            }
            String name = file.getName();
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

    /**
     * The LIST format to parse: the SYST answer, as commons-net would use, but UNIX (what nearly
     * every server sends) when SYST is refused instead of failing the listing.
     */
    private String parserKey() {
        if (parserKey.isEmpty()) {
            String system;
            try {
                system = session.client().getSystemType();
            } catch (IOException e) {
                system = FTPClientConfig.SYST_UNIX;
            }
            parserKey = Optional.of(system);
        }
        return parserKey.get();
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
}
