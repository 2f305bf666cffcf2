package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftp-lite ls [-l] REMOTE}: the names in a remote directory, one a line. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List a remote directory.")
final class ListCommand extends RemoteCommand {
    @Parameters(paramLabel = "REMOTE", defaultValue = ".", description = "ftp://[user@]host[:port]/dir, or a path with --host.")
    String remote;

    @Option(names = "-l", description = "Long format: type, size, UTC modification time (- if unknown), name.")
    boolean longFormat;

    @Override
    void run() throws IOException {
        Target target = target(remote);
        try (FtpSession session = open(target)) {
            PrintWriter out = out();
            for (RemoteEntry e : new RemoteListing(session).list(target.path())) {
                String name = Mirror.printable(e.name());
                if (!longFormat) {
                    out.println(name);
                    continue;
                }
                char type = switch (e.kind()) {
                    case DIRECTORY -> 'd';
                    case FILE -> '-';
                    case LINK -> 'l';
                    case OTHER -> '?';
                };
                String size = e.size().isPresent() ? Long.toString(e.size().getAsLong()) : "-";
                String time = e.modified().map(DateTimeFormatter.ISO_INSTANT::format).orElse("-");
                out.printf("%c %12s %-20s %s%n", type, size, time, name);
            }
        }
    }
}
