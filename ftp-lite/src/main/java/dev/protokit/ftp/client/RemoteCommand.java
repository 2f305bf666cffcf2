package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code ftp-lite} subcommand shares: the connection options, opening a logged-in
 * session, and the mapping of failures to exit codes (a file-system error is local, exit 5;
 * any other I/O error came from the network, exit 3).
 */
abstract class RemoteCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions options;

    @ParentCommand
    FtpCliMain main;

    @Spec
    CommandSpec spec;

    /** Does the work; returns normally on success. */
    abstract void run() throws IOException;

    @Override
    public final Integer call() {
        try {
            run();
            return ExitCode.OK.status();
        } catch (FileSystemException e) {
            throw FtpCliException.local(describe(e), e);
        } catch (IOException e) {
            throw FtpSession.connectionLost("connection failed", e);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Resolves credentials for {@code target} and logs in. */
    FtpSession open(Target target) {
        Credentials credentials = Credentials.resolve(target, options, main.stdin());
        return FtpSession.open(target, options, credentials, err());
    }

    Target target(String remote) {
        return Target.of(remote, options);
    }

    boolean progress() {
        return Progress.enabled(options);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private static String describe(FileSystemException e) {
        String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return e.getFile() + ": " + reason;
    }
}
