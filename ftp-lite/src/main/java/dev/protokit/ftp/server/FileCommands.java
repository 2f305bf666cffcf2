package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FileFacts;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ListingFormat;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * The commands that act on names without a data connection: PWD, CWD, CDUP, MKD, RMD, DELE,
 * RNFR/RNTO, SIZE, MDTM, MLST and STAT with a path. Each returns its reply or throws an
 * {@link FtpException}; run on the session thread.
 */
final class FileCommands {
    private final SessionState state;

    FileCommands(SessionState state) {
        this.state = state;
    }

    Reply pwd() {
        return Reply.of(ReplyCode.PATH_CREATED, Reply.quotePath(state.fs().cwd()) + " is the current directory.");
    }

    Reply cwd(String argument) {
        state.fs().changeDirectory(argument);
        return Reply.of(ReplyCode.FILE_ACTION_OK, "Directory changed to " + state.fs().cwd() + ".");
    }

    /** CDUP; at the root it stays there (like {@code cd ..} in {@code /}), as vsftpd does. */
    Reply cdup() {
        if (state.fs().cwd().equals("/")) {
            return Reply.of(ReplyCode.FILE_ACTION_OK, "Directory changed to /.");
        }
        return cwd("..");
    }

    Reply mkd(String argument) {
        requireWrite();
        Path path = state.fs().resolve(argument);
        try {
            Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Already exists.", e);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Create directory operation failed.", e);
        }
        return Reply.of(ReplyCode.PATH_CREATED, Reply.quotePath(state.fs().virtualPath(argument)) + " created.");
    }

    Reply rmd(String argument) {
        requireWrite();
        Path path = notRoot(argument);
        if (!Files.isDirectory(path) || Files.isSymbolicLink(path)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Not a directory.");
        }
        try {
            Files.delete(path);
        } catch (DirectoryNotEmptyException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Directory not empty.", e);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Remove directory operation failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "Directory removed.");
    }

    Reply dele(String argument) {
        requireWrite();
        Path path = state.fs().resolve(argument);
        if (Files.isDirectory(path) && !Files.isSymbolicLink(path)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Is a directory; use RMD.");
        }
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Delete operation failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "File deleted.");
    }

    Reply rnfr(String argument) {
        requireWrite();
        Path path = notRoot(argument);
        if (!Listings.exists(path)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory.");
        }
        state.renameFrom = java.util.Optional.of(path);
        return Reply.of(ReplyCode.PENDING, "Ready for RNTO.");
    }

    /** RFC 959 4.1.3: RNTO must immediately follow RNFR; the session clears RNFR after any other command. */
    Reply rnto(String argument) {
        Path from = state.renameFrom.orElseThrow(() -> new FtpException(ReplyCode.BAD_SEQUENCE, "RNFR required first."));
        state.renameFrom = java.util.Optional.empty();
        requireWrite();
        Path to = notRoot(argument);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Rename failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "Rename successful.");
    }

    /** RFC 3659 section 4: the size of a regular file in bytes (as stored; see docs/ftp.md for TYPE A). */
    Reply size(String argument) {
        Path path = regularFile(argument);
        try {
            return Reply.of(ReplyCode.FILE_STATUS, Long.toString(Files.size(path)));
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Could not get file size.", e);
        }
    }

    /** RFC 3659 section 3: modification time, UTC, YYYYMMDDHHMMSS. */
    Reply mdtm(String argument) {
        Path path = regularFile(argument);
        try {
            return Reply.of(ReplyCode.FILE_STATUS, ListingFormat.time(Files.getLastModifiedTime(path).toInstant()));
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Could not get modification time.", e);
        }
    }

    /** RFC 3659 section 7.2: facts about one path on the control connection. */
    Reply mlst(String argument) {
        String target = argument.isEmpty() ? "." : argument;
        FileFacts facts = facts(target).withName(state.fs().virtualPath(target));
        return Reply.multi(ReplyCode.FILE_ACTION_OK, "Listing " + facts.name(),
                List.of(ListingFormat.factsLine(facts, state.mlstFacts)), "End.");
    }

    /** STAT with a path: a LIST of it over the control connection (RFC 959 4.1.3). */
    Reply statPath(String argument, Instant now) {
        Path path = state.fs().resolve(argument);
        List<FileFacts> entries;
        try {
            entries = Files.isDirectory(path) ? Listings.list(path, state.fs().home(), state.account().canWrite())
                    : List.of(facts(argument));
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Cannot list directory.", e);
        }
        return Reply.multi(ReplyCode.FILE_STATUS, "Status of " + state.fs().virtualPath(argument) + ":",
                entries.stream().map(f -> ListingFormat.listLine(f, now)).toList(), "End of status.");
    }

    private FileFacts facts(String argument) {
        Path path = state.fs().resolve(argument);
        String name = path.getFileName() == null ? "/" : path.getFileName().toString();
        return Listings.facts(path, name, state.fs().home(), state.account().canWrite())
                .orElseThrow(() -> new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory."));
    }

    private Path regularFile(String argument) {
        Path path = state.fs().resolve(argument);
        if (!Files.isRegularFile(path)) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Not a regular file.");
        }
        return path;
    }

    private Path notRoot(String argument) {
        Path path = state.fs().resolve(argument);
        if (path.equals(state.fs().home())) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "The home directory cannot be changed.");
        }
        return path;
    }

    private void requireWrite() {
        if (!state.account().canWrite()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Permission denied.");
        }
    }
}
