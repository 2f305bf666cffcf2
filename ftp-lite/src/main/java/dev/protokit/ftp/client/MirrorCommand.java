package dev.protokit.ftp.client;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftp-lite mirror [--reverse] [-c] REMOTE LOCAL}: copies a directory tree down, or up. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
        description = {"Copy the tree under REMOTE into LOCAL, or with --reverse LOCAL into REMOTE.",
                "Files are sent when missing, of another size, or of another exact modification time; links are skipped."})
final class MirrorCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "REMOTE", description = "ftp://[user@]host[:port]/dir, or a path with --host.")
    String remote;

    @Parameters(index = "1", paramLabel = "LOCAL", description = "The local directory.")
    Path local;

    @Option(names = {"-R", "--reverse"}, description = "Upload LOCAL to REMOTE instead.")
    boolean reverse;

    @Option(names = {"-c", "--continue"}, description = "Resume files that are shorter on the receiving side.")
    boolean resume;

    @Override
    void run() throws IOException {
        Target target = target(remote);
        try (FtpSession session = open(target)) {
            Mirror mirror = new Mirror(session, new Transfers(session, progress()), err(), resume);
            Mirror.Summary summary = reverse ? mirror.up(local, target.path()) : mirror.down(target.path(), local);
            if (!options.quiet) {
                err().println("ftp-lite: mirror " + (reverse ? local + " -> " + target.describe() : target.describe() + " -> " + local)
                        + ": " + summary);
            }
        }
    }
}
