package dev.protokit.ftp.client;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The small remote file operations: {@code mkdir}, {@code rm} and {@code mv}. */
final class FileCommands {
    private FileCommands() {
    }

    /** {@code ftp-lite mkdir [-p] REMOTE}. */
    @Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Create a remote directory (MKD).")
    static final class Mkdir extends RemoteCommand {
        @Parameters(paramLabel = "REMOTE", description = "ftp://[user@]host[:port]/dir, or a path with --host.")
        String remote;

        @Option(names = "-p", description = "Create missing parents too; an existing directory is fine.")
        boolean parents;

        @Override
        void run() throws IOException {
            Target target = target(remote);
            try (FtpSession session = open(target)) {
                if (!parents) {
                    session.check(session.client().makeDirectory(target.path()), "MKD " + target.path());
                    return;
                }
                StringBuilder path = new StringBuilder(target.path().startsWith("/") ? "/" : "");
                for (String part : target.path().split("/")) {
                    if (part.isEmpty() || part.equals(".")) {
                        continue;
                    }
                    path.append(path.isEmpty() || path.toString().endsWith("/") ? "" : "/").append(part);
                    if (!session.isDirectory(path.toString())) {
                        session.check(session.client().makeDirectory(path.toString()), "MKD " + path);
                    }
                }
            }
        }
    }

    /** {@code ftp-lite rm [-r] REMOTE}. */
    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a remote file (DELE), or a tree with -r.")
    static final class Rm extends RemoteCommand {
        @Parameters(paramLabel = "REMOTE", description = "ftp://[user@]host[:port]/path, or a path with --host.")
        String remote;

        @Option(names = {"-r", "--recursive"}, description = "Delete a directory and everything in it (RMD).")
        boolean recursive;

        @Override
        void run() throws IOException {
            Target target = target(remote);
            try (FtpSession session = open(target)) {
                if (recursive && session.isDirectory(target.path())) {
                    removeTree(session, new RemoteListing(session), target.path(), 0);
                } else {
                    session.check(session.client().deleteFile(target.path()), "DELE " + target.path());
                }
            }
        }

        private static void removeTree(FtpSession session, RemoteListing listing, String dir, int depth) throws IOException {
            if (depth > Mirror.MAX_DEPTH) {
                throw FtpCliException.remote("tree deeper than " + Mirror.MAX_DEPTH + " levels at " + dir + "; stopped");
            }
            for (RemoteEntry e : listing.list(dir)) {
                if (!RemoteEntry.isSafeName(e.name())) {
                    throw FtpCliException.remote("unsafe name in the listing of " + dir + ": \"" + Mirror.printable(e.name()) + "\"");
                }
                String path = Mirror.join(dir, e.name());
                if (e.kind() == RemoteEntry.Kind.DIRECTORY) {
                    removeTree(session, listing, path, depth + 1);
                } else {
                    session.check(session.client().deleteFile(path), "DELE " + path);
                }
            }
            session.check(session.client().removeDirectory(dir), "RMD " + dir);
        }
    }

    /** {@code ftp-lite mv FROM TO}. */
    @Command(name = "mv", mixinStandardHelpOptions = true, description = "Rename or move a remote file or directory (RNFR/RNTO).")
    static final class Mv extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "FROM", description = "ftp://[user@]host[:port]/path, or a path with --host.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "The new path on the same server (a path, or a URL to the same server).")
        String to;

        @Override
        void run() throws IOException {
            Target source = target(from);
            Target destination = source.sibling(to, options);
            try (FtpSession session = open(source)) {
                session.check(session.client().rename(source.path(), destination.path()),
                        "rename " + source.path() + " to " + destination.path());
            }
        }
    }
}
