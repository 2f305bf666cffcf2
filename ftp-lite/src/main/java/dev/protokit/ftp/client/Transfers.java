package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Downloads and uploads single files. A download goes to a temporary file beside the target and
 * is renamed into place only when the server confirmed the transfer and the byte count matches
 * SIZE, so an interrupted get never leaves a half-written file; with {@code -c} it appends to the
 * existing file instead (REST, RFC 3659 section 5), which is what resuming means. An upload with
 * {@code -c} sends only what the server lacks (SIZE, then APPE).
 */
final class Transfers {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FtpSession session;
    private final boolean progress;

    Transfers(FtpSession session, boolean progress) {
        this.session = session;
        this.progress = progress;
    }

    /** What a transfer did, for summaries. */
    record Result(long bytes, boolean skipped) {}

    /** Downloads {@code remote} to the file {@code local}. */
    Result get(String remote, Path local, boolean resume) throws IOException {
        OptionalLong total = session.size(remote);
        long offset = resume && Files.isRegularFile(local) ? localSize(local) : 0;
        if (offset > 0 && total.isPresent()) {
            if (offset == total.getAsLong()) {
                return new Result(0, true);
            }
            if (offset > total.getAsLong()) {
                throw FtpCliException.local(local + " is larger (" + offset + " bytes) than " + remote
                        + " (" + total.getAsLong() + "); not resuming", null);
            }
        }
        Path parent = local.toAbsolutePath().getParent();
        Path temporary = offset > 0 || resume ? local : parent.resolve("." + local.getFileName() + ".ftp-lite-"
                + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ".part");
        OutputStream out = openLocal(temporary, offset > 0 || resume);
        boolean done = false;
        try {
            session.client().setRestartOffset(offset);
            InputStream in = session.client().retrieveFileStream(remote);
            if (in == null) {
                throw session.failure("RETR " + remote);
            }
            long copied;
            try (Progress bar = Progress.start(progress, remote, total.orElse(-1), offset)) {
                copied = Copy.remoteToLocal(in, out, bar, local);
            } catch (FtpCliException e) {
                throw session.explain(e, "RETR " + remote);
            }
            closeLocal(out, local);
            session.check(session.client().completePendingCommand(), "RETR " + remote);
            if (total.isPresent() && offset + copied != total.getAsLong()) {
                throw FtpCliException.remote("short transfer of " + remote + ": " + (offset + copied)
                        + " of " + total.getAsLong() + " bytes");
            }
            if (!temporary.equals(local)) {
                move(temporary, local);
            }
            done = true;
            return new Result(copied, false);
        } finally {
            session.client().setRestartOffset(0);
            if (!done) {
                closeQuietly(out);
                if (!temporary.equals(local)) {
                    Files.deleteIfExists(temporary);
                }
            }
        }
    }

    /** Downloads {@code remote} to {@code out} (standard output for {@code get URL -}), which stays open. */
    Result getTo(String remote, OutputStream out) throws IOException {
        OptionalLong total = session.size(remote);
        InputStream in = session.client().retrieveFileStream(remote);
        if (in == null) {
            throw session.failure("RETR " + remote);
        }
        long copied;
        try (Progress bar = Progress.start(progress, remote, total.orElse(-1), 0)) {
            copied = Copy.remoteToLocal(in, out, bar, Path.of("standard output"));
        } catch (FtpCliException e) {
            throw session.explain(e, "RETR " + remote);
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw FtpCliException.local("cannot write standard output: " + e.getMessage(), e);
        }
        session.check(session.client().completePendingCommand(), "RETR " + remote);
        if (total.isPresent() && copied != total.getAsLong()) {
            throw FtpCliException.remote("short transfer of " + remote + ": " + copied + " of " + total.getAsLong() + " bytes");
        }
        return new Result(copied, false);
    }

    /** Uploads the file {@code local} to {@code remote}. */
    Result put(Path local, String remote, boolean resume) throws IOException {
        long length = localSize(local);
        long offset = 0;
        if (resume) {
            OptionalLong existing = session.size(remote);
            offset = existing.orElse(0);
            if (offset == length) {
                return new Result(0, true);
            }
            if (offset > length) {
                throw FtpCliException.remote(remote + " is larger (" + offset + " bytes) than " + local + " ("
                        + length + "); not resuming");
            }
        }
        InputStream in;
        try {
            in = Files.newInputStream(local);
            in.skipNBytes(offset);
        } catch (IOException e) {
            throw FtpCliException.local("cannot read " + local + ": " + e.getMessage(), e);
        }
        try (in) {
            OutputStream out = offset > 0 ? session.client().appendFileStream(remote) : session.client().storeFileStream(remote);
            if (out == null) {
                throw session.failure((offset > 0 ? "APPE " : "STOR ") + remote);
            }
            long copied;
            try (Progress bar = Progress.start(progress, local.getFileName().toString(), length, offset)) {
                copied = Copy.localToRemote(in, out, bar, local);
            } catch (FtpCliException e) {
                throw session.explain(e, (offset > 0 ? "APPE " : "STOR ") + remote);
            }
            session.check(session.client().completePendingCommand(), "STOR " + remote);
            OptionalLong stored = session.size(remote);
            if (stored.isPresent() && stored.getAsLong() != length) {
                throw FtpCliException.remote("server holds " + stored.getAsLong() + " bytes of " + remote + " after upload; sent "
                        + length);
            }
            return new Result(copied, false);
        }
    }

    private static long localSize(Path local) {
        try {
            return Files.size(local);
        } catch (IOException e) {
            throw FtpCliException.local("cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    private static OutputStream openLocal(Path file, boolean append) {
        try {
            return append ? Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw FtpCliException.local("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeLocal(OutputStream out, Path local) {
        try {
            out.close();
        } catch (IOException e) {
            throw FtpCliException.local("cannot write " + local + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path temporary, Path local) {
        try {
            Files.move(temporary, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FtpCliException.local("cannot rename " + temporary + " to " + local + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the first error is reported
        }
    }
}
