package dev.protokit.ftp.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftp-lite get [-c] REMOTE [LOCAL]}: downloads one file. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Download a file. Written to a temporary file and renamed into place when complete.",
            "LOCAL '-' writes it to standard output."})
final class GetCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "REMOTE", description = "ftp://[user@]host[:port]/path, or a path with --host.")
    String remote;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "File or directory (default: the remote name, here); - for standard output.")
    Path local;

    @Option(names = {"-c", "--continue"}, description = "Resume: append to LOCAL from its current size (REST).")
    boolean resume;

    @Override
    void run() throws IOException {
        Target target = target(remote);
        if (local != null && local.toString().equals("-")) {
            if (resume) {
                throw FtpCliException.usage("--continue cannot resume standard output");
            }
            try (FtpSession session = open(target)) {
                new Transfers(session, progress()).getTo(target.path(), main.stdout());
            }
            return;
        }
        String name = baseName(target.path());
        Path destination = local == null ? Path.of(name) : Files.isDirectory(local) ? local.resolve(name) : local;
        try (FtpSession session = open(target)) {
            new Transfers(session, progress()).get(target.path(), destination, resume);
        }
    }

    /** The last path component, refused if it could not be a local file name. */
    static String baseName(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (!RemoteEntry.isSafeName(name)) {
            throw FtpCliException.usage("cannot name a local file after '" + Mirror.printable(path) + "'; give LOCAL");
        }
        return name;
    }
}
