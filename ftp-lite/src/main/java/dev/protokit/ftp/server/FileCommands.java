package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FileFacts;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ListingFormat;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import dev.protokit.common.fs.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
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
        String path = state.fs().resolve(argument);
        try {
            state.fs().root().mkdir(path, 0777);
        } catch (FileAlreadyExistsException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Already exists.", e);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Create directory operation failed.", e);
        }
        return Reply.of(ReplyCode.PATH_CREATED, Reply.quotePath(state.fs().virtualPath(argument)) + " created.");
    }

    Reply rmd(String argument) {
        requireWrite();
        String path = notRoot(argument);
        if (state.fs().lstat(path).filter(FileStat::isDirectory).isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Not a directory.");
        }
        try {
            state.fs().root().rmdir(path);
        } catch (DirectoryNotEmptyException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Directory not empty.", e);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Remove directory operation failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "Directory removed.");
    }

    Reply dele(String argument) {
        requireWrite();
        String path = state.fs().resolve(argument);
        if (state.fs().lstat(path).filter(FileStat::isDirectory).isPresent()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Is a directory; use RMD.");
        }
        try {
            state.fs().root().delete(path);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Delete operation failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "File deleted.");
    }

    Reply rnfr(String argument) {
        requireWrite();
        String path = notRoot(argument);
        if (state.fs().lstat(path).isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory.");
        }
        state.renameFrom = java.util.Optional.of(path);
        return Reply.of(ReplyCode.PENDING, "Ready for RNTO.");
    }

    /** RFC 959 4.1.3: RNTO must immediately follow RNFR; the session clears RNFR after any other command. */
    Reply rnto(String argument) {
        String from = state.renameFrom.orElseThrow(() -> new FtpException(ReplyCode.BAD_SEQUENCE, "RNFR required first."));
        state.renameFrom = java.util.Optional.empty();
        requireWrite();
        String to = notRoot(argument);
        try {
            state.fs().root().rename(from, to);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Rename failed.", e);
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "Rename successful.");
    }

    /**
     * RFC 3659 section 4: the size of a regular file in bytes (as stored; see docs/ftp.md for
     * TYPE A). While an interrupted upload of this user's to the name is pending, its size: what a
     * resuming client (lftp put -c, curl -C -) asks before REST + STOR or APPE.
     */
    Reply size(String argument) {
        var pending = state.account().canWrite()
                ? UploadParts.pending(state.fs(), state.fs().resolve(argument), state.account().name())
                : java.util.OptionalLong.empty();
        if (pending.isPresent()) {
            return Reply.of(ReplyCode.FILE_STATUS, Long.toString(pending.getAsLong()));
        }
        return Reply.of(ReplyCode.FILE_STATUS, Long.toString(regularFile(argument).size()));
    }

    /** RFC 3659 section 3: modification time, UTC, YYYYMMDDHHMMSS. */
    Reply mdtm(String argument) {
        return Reply.of(ReplyCode.FILE_STATUS, ListingFormat.time(regularFile(argument).modified()));
    }

    /**
     * MFMT (draft-somers-ftp-mfxx section 3): {@code MFMT time path} sets the modification time
     * and answers {@code 213 Modify=time; path}. Needs write permission, like any change.
     */
    Reply mfmt(String argument) {
        requireWrite();
        int space = argument.indexOf(' ');
        if (space < 0 || space == argument.length() - 1) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "MFMT needs a time and a path.");
        }
        String when = argument.substring(0, space);
        String name = argument.substring(space + 1);
        Instant time = ListingFormat.parseTime(when);
        String path = state.fs().resolve(name);
        if (state.fs().lstat(path).isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file: " + state.fs().virtualPath(name) + " does not exist.");
        }
        try {
            state.fs().root().setModifiedTime(path, time);
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Could not set the modification time.", e);
        }
        return Reply.of(ReplyCode.FILE_STATUS, "Modify=" + when + "; " + state.fs().virtualPath(name));
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
        String path = state.fs().resolve(argument);
        List<FileFacts> entries;
        try {
            entries = state.fs().stat(path).filter(FileStat::isDirectory).isPresent()
                    ? Listings.list(state.fs().root(), path, state.account().canWrite())
                    : List.of(facts(argument));
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Cannot list directory.", e);
        }
        return Reply.multi(ReplyCode.FILE_STATUS, "Status of " + state.fs().virtualPath(argument) + ":",
                entries.stream().map(f -> ListingFormat.listLine(f, now)).toList(), "End of status.");
    }

    private FileFacts facts(String argument) {
        String path = state.fs().resolve(argument);
        String name = path.isEmpty() ? "/" : path.substring(path.lastIndexOf('/') + 1);
        return Listings.facts(state.fs().root(), path, name, state.account().canWrite())
                .orElseThrow(() -> new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory."));
    }

    private FileStat regularFile(String argument) {
        FileStat stat = state.fs().stat(state.fs().resolve(argument)).orElseThrow(() -> new FtpException(
                ReplyCode.FILE_UNAVAILABLE, "No such file: " + state.fs().virtualPath(argument) + " does not exist."));
        if (!stat.isRegularFile()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Not a regular file.");
        }
        return stat;
    }

    private String notRoot(String argument) {
        String path = state.fs().resolve(argument);
        if (path.isEmpty()) {
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
