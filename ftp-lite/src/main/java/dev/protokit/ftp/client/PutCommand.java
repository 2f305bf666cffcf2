package dev.protokit.ftp.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftp-lite put [-c] LOCAL REMOTE}: uploads one file. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Upload a file.")
final class PutCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "LOCAL", description = "The file to send.")
    Path local;

    @Parameters(index = "1", paramLabel = "REMOTE",
            description = "ftp://[user@]host[:port]/path or a path with --host; a directory (or a trailing /) gets LOCAL's name.")
    String remote;

    @Option(names = {"-c", "--continue"}, description = "Resume: send only what the server lacks (SIZE, then APPE).")
    boolean resume;

    @Override
    void run() throws IOException {
        if (!Files.isRegularFile(local)) {
            throw FtpCliException.local(local + ": not a readable file", null);
        }
        String name = local.getFileName().toString();
        if (!RemoteEntry.isSafeName(name)) {
            throw FtpCliException.usage("local name '" + Mirror.printable(name) + "' cannot be sent as an FTP path");
        }
        Target target = target(remote);
        try (FtpSession session = open(target)) {
            String path = target.path();
            if (path.endsWith("/") || session.isDirectory(path)) {
                path = Mirror.join(path, name);
            }
            new Transfers(session, progress()).put(local, path, resume);
        }
    }
}
