package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import dev.protokit.common.fs.FileStat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

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
        Upload.Start how = start;
        if (start == Upload.Start.FRESH && offset > 0) {
            // REST n + STOR: keep the first n bytes of the old file (RFC 3659 section 5.5).
            if (existing.filter(FileStat::isRegularFile).filter(f -> offset <= f.size()).isEmpty()) {
                throw new FtpException(ReplyCode.INVALID_REST, "REST offset " + offset + " is beyond the end of the file.");
            }
            how = Upload.Start.RESUME;
        }
        String path = state.fs().virtualPath(argument);
        return transfer("Ok to send data.", path, upload(target, how, offset), true, true);
    }

    /** STOU: a new file with a name no other file has, in the current directory (RFC 959 4.1.3). */
    Transfer stou() {
        requireWrite();
        String name;
        String target;
        do {
            name = "ftp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            target = state.fs().resolve(name);
        } while (state.fs().lstat(target).isPresent());
        return transfer("FILE: " + name, state.fs().virtualPath(name), upload(target, Upload.Start.FRESH, 0), true, true);
    }

    Transfer list(String argument, ListingBody.Format format) {
        String path = state.fs().resolve(listPath(argument, format));
        Optional<FileStat> stat = state.fs().stat(path);
        if (stat.isEmpty() || (format == ListingBody.Format.MLSD && !stat.get().isDirectory())) {
            throw new FtpException(ReplyCode.FILE_UNAVAILABLE, format == ListingBody.Format.MLSD
                    ? "Not a directory." : "No such file or directory.");
        }
        var body = new ListingBody(state.fs().root(), path, state.account().canWrite(), format, clock, state.mlstFacts);
        return transfer("Here comes the directory listing.", state.fs().virtualPath(listPath(argument, format)), body, false, false);
    }

    /** LIST and NLST arguments may start with ls options (-l, -a, -la): they are skipped. */
    static String listPath(String argument, ListingBody.Format format) {
        String a = argument.strip();
        if (format != ListingBody.Format.MLSD) {
            while (a.startsWith("-")) {
                int space = a.indexOf(' ');
                a = space < 0 ? "" : a.substring(space + 1).strip();
            }
        }
        return a.isEmpty() ? "." : a;
    }

    private Upload upload(String target, Upload.Start start, long offset) {
        return new Upload(state.fs().root(), target, start, offset, state.ascii, context.config.maxUploadSize(), bucket(),
                context.config.uploadFsync());
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
