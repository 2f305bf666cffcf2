package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import dev.protokit.common.fs.FileStat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * RETR, STOR, APPE, STOU, LIST, NLST and MLSD: checks everything that can be checked on the
 * session thread (path, permission, REST, data route, PROT policy) and returns a ready
 * {@link Transfer}; the session starts it on its own thread.
 */
final class TransferCommands {
    private final ServerContext context;
    private final SessionState state;
    private final ControlChannel control;
    private final Clock clock;

    TransferCommands(ServerContext context, SessionState state, ControlChannel control, Clock clock) {
        this.context = context;
        this.state = state;
        this.control = control;
        this.clock = clock;
    }

    /**
     * The file is opened here, on the session thread, in the same step that confines it (see
     * {@link VirtualFileSystem}): what was checked is what is sent, and a refusal is a 550
     * before any data connection. The download owns the channel from then on.
     */
    Transfer retr(String argument, long offset) {
        FileChannel file;
        long size;
        try {
            file = state.fs().root().openRead(state.fs().resolve(argument));
            size = file.size();
        } catch (IOException e) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Failed to open file.", e);
        }
        try {
            if (offset > size) {
                throw new FtpException(ReplyCode.INVALID_REST, "REST offset " + offset + " is beyond the end of the file.");
            }
            String path = state.fs().virtualPath(argument);
            String opening = "Opening %s mode data connection for %s (%d bytes).".formatted(
                    state.ascii ? "ASCII" : "BINARY", path, size - offset);
            return transfer(opening, path, new Download(file, offset, state.ascii, bucket()), false, true);
        } catch (RuntimeException e) {
            Download.close(file);
            throw e;
        }
    }

    /**
     * STOR (with REST: a resume) and APPE. The upload goes to the user's part for the target
     * ({@link UploadParts}); one an interrupted upload left is continued: REST n within it
     * truncates it to n, APPE appends to it. Without one, REST and APPE start from the old file.
     */
    Transfer stor(String argument, long offset, Upload.Start start) {
        requireWrite();
        String target = state.fs().resolve(argument);
        Optional<FileStat> existing = state.fs().stat(target);
        if (existing.filter(FileStat::isDirectory).isPresent()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Is a directory.");
        }
        if (target.isEmpty() || state.fs().stat(Upload.parent(target)).filter(FileStat::isDirectory).isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file or directory.");
        }
        String path = state.fs().virtualPath(argument);
        return withPart(target, (part, resumable) -> {
            OptionalLong pending = resumable ? UploadParts.pending(state.fs(), target, state.account().name())
                    : OptionalLong.empty();
            Upload.Start how = start;
            long from = offset;
            if (start == Upload.Start.APPEND && pending.isPresent()) {
                how = Upload.Start.CONTINUE;
                from = pending.getAsLong();
            } else if (start == Upload.Start.FRESH && offset > 0) {
                if (pending.isPresent() && offset <= pending.getAsLong()) {
                    how = Upload.Start.CONTINUE; // REST n + STOR after an interrupted upload (RFC 3659 5.5)
                } else if (existing.filter(FileStat::isRegularFile).filter(f -> offset <= f.size()).isPresent()) {
                    how = Upload.Start.RESUME;   // keep the first n bytes of the old file
                } else {
                    throw new FtpException(ReplyCode.INVALID_REST, "REST offset " + offset + " is beyond the end of the file.");
                }
            }
            return transfer("Ok to send data.", path, upload(target, part, resumable, how, from), true, true);
        });
    }

    /** STOU: a new file under a name no other file has, {@code argument} its base if given (see {@link UniqueUpload}). */
    Transfer stou(String argument) {
        requireWrite();
        UniqueUpload.Reserved name = UniqueUpload.reserve(state.fs(), argument);
        try {
            String path = state.fs().virtualPath(name.shown());
            return withPart(name.target(), (part, resumable) -> transfer("FILE: " + name.shown(), path,
                    new UniqueUpload(upload(name.target(), part, resumable, Upload.Start.FRESH, 0), state.fs().root(), name),
                    true, true));
        } catch (RuntimeException e) {
            UniqueUpload.release(state.fs().root(), name);
            throw e;
        }
    }

    private interface PartUser {
        Transfer start(String partName, boolean resumable);
    }

    /**
     * Claims the user's resumable part for {@code target} (a one-off temporary if another upload
     * of theirs to the same name runs) and releases it if the transfer cannot be set up.
     */
    private Transfer withPart(String target, PartUser body) {
        String resumablePart = UploadParts.partFor(target, state.account().name());
        boolean resumable = context.parts.claim(state.fs().home(), resumablePart);
        String partName = resumable ? resumablePart.substring(resumablePart.lastIndexOf('/') + 1) : UploadParts.oneOffName();
        try {
            return body.start(partName, resumable);
        } catch (RuntimeException e) {
            if (resumable) {
                context.parts.release(state.fs().home(), resumablePart);
            }
            throw e;
        }
    }

    Transfer list(String argument, ListingBody.Format format) {
        ListArgument parsed = ListArgument.parse(argument, format);
        String argumentPath = parsed.path();
        String path = state.fs().resolve(argumentPath);
        Optional<FileStat> stat = state.fs().stat(path);
        Optional<PathMatcher> glob = Optional.empty();
        int slash = argumentPath.lastIndexOf('/');
        String last = argumentPath.substring(slash + 1);
        if (format != ListingBody.Format.MLSD && stat.isEmpty() && isGlob(last)) {
            // Wildcards only in the last component, matched against one directory's entries:
            // a pattern never reaches past the directory VirtualFileSystem resolved.
            path = Upload.parent(path);
            stat = state.fs().stat(path);
            if (stat.filter(FileStat::isDirectory).isEmpty()) {
                throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such directory.");
            }
            try {
                glob = Optional.of(FileSystems.getDefault().getPathMatcher("glob:" + last));
            } catch (IllegalArgumentException e) { // PatternSyntaxException and others
                throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Bad wildcard pattern.", e);
            }
        }
        if (stat.isEmpty()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE,
                    format == ListingBody.Format.MLSD ? "No such directory." : "No such file or directory.");
        }
        if (format == ListingBody.Format.MLSD && !stat.get().isDirectory()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Not a directory.");
        }
        boolean directory = glob.isEmpty() && stat.get().isDirectory();
        var selection = new ListingBody.Selection(glob, nlstPrefix(argumentPath, directory), parsed.recursive());
        var body = new ListingBody(state.fs().root(), path, state.account().canWrite(), format, clock, state.mlstFacts, selection);
        return transfer("Here comes the directory listing.", state.fs().virtualPath(argumentPath), body, false, false);
    }

    /** The directory part of a LIST/NLST path, with a directory itself counted as a part: "sub/" for sub, sub/d.txt and sub/*.txt. */
    static String nlstPrefix(String argumentPath, boolean directory) {
        if (argumentPath.equals(".")) {
            return "";
        }
        String path = directory && !argumentPath.endsWith("/") ? argumentPath + "/" : argumentPath;
        return path.substring(0, path.lastIndexOf('/') + 1);
    }

    /** True if {@code name} holds a shell wildcard: {@code *}, {@code ?} or a {@code [...]} class. */
    static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /** A LIST or NLST argument: ls options first (-l, -a, -la, -R: only R is acted on), then the path ("." if none). */
    record ListArgument(String options, String path) {
        static ListArgument parse(String argument, ListingBody.Format format) {
            String a = argument.strip();
            var options = new StringBuilder();
            while (format != ListingBody.Format.MLSD && a.startsWith("-")) {
                int space = a.indexOf(' ');
                options.append(space < 0 ? a : a.substring(0, space));
                a = space < 0 ? "" : a.substring(space + 1).strip();
            }
            return new ListArgument(options.toString(), a.isEmpty() ? "." : a);
        }

        /** ls -R: {@code LIST -R}, {@code NLST -1R}, {@code LIST -lRa}. */
        boolean recursive() {
            return options.indexOf('R') >= 0;
        }
    }

    private Upload upload(String target, String partName, boolean resumable, Upload.Start start, long offset) {
        java.nio.file.Path home = state.fs().home();
        String claimed = UploadParts.partFor(target, state.account().name());
        Runnable release = resumable ? () -> context.parts.release(home, claimed) : () -> { };
        return new Upload(state.fs().root(), target, partName, resumable, release, start, offset, state.ascii,
                context.config.maxUploadSize(), bucket(), context.config.uploadFsync());
    }

    private Transfer transfer(String opening, String path, Transfer.Body body, boolean incoming, boolean logged) {
        if (context.config.requireTls() && !state.protectData) {
            throw new FtpException(ReplyCode.PROTECTION_REQUIRED, "Data connections must be protected: use PROT P.");
        }
        DataRoute route = state.takeRoute().orElseThrow(
                () -> new FtpException(ReplyCode.CANNOT_OPEN_DATA, "Use PASV, EPSV, PORT or EPRT first."));
        Optional<Transfer.Protection> protection = state.protectData
                ? Optional.of(new Transfer.Protection(context.config.tls(), incoming || context.config.requireTlsReuse(),
                        context.config.requireTlsReuse() ? control.tlsSession() : Optional.empty()))
                : Optional.empty();
        SessionState.Account account = state.account();
        boolean ascii = state.ascii;
        long started = System.nanoTime();
        String who = state.peer.getAddress().getHostAddress() + " user " + account.name();
        return new Transfer(control, route, protection, context.dataTimeout(), opening, path, who, body, t -> {
            context.unregister(t);
            if (logged) {
                XferLog.log(state.peer.getAddress(), path, t.bytes(), Duration.ofNanos(System.nanoTime() - started),
                        ascii, incoming, account, t.outcome() == Transfer.Outcome.COMPLETE);
            }
        });
    }

    private Optional<TokenBucket> bucket() {
        SessionState.Account a = state.account();
        return context.bucket(a.name(), a.rate());
    }

    private void requireWrite() {
        if (!state.account().canWrite()) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, "Permission denied.");
        }
    }
}
