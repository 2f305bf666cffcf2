package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerMessage;
import dev.protokit.rendezvous.wire.PeerMessageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code send} and {@code receive}: one file streamed over the session as FILE, CHUNKs and
 * DONE with the SHA-256 of the whole file; the receiver writes a hidden temporary file in the
 * target directory, checks the hash, fsyncs and renames it into place (so a failed transfer
 * leaves nothing), and answers RESULT. A progress bar shows on a terminal only.
 */
final class FileTransfer {
    private static final Duration MESSAGE_WAIT = Duration.ofSeconds(90);
    private static final Duration GOODBYE = Duration.ofSeconds(10);

    private FileTransfer() {}

    /** Sends {@code file}; true when the receiver confirms the hash. */
    static boolean send(PeerSession session, Path file, boolean progress, PrintWriter out)
            throws IOException, InterruptedException {
        long size = Files.size(file);
        String name = file.getFileName().toString();
        session.send(PeerMessageCodec.encode(new PeerMessage.FileOffer(name, size)));
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file); ProgressBar bar = bar("send " + name, size, progress)) {
            byte[] buffer = new byte[PeerMessage.MAX_CHUNK];
            long sent = 0;
            for (int n = in.readNBytes(buffer, 0, buffer.length); n > 0; n = in.readNBytes(buffer, 0, buffer.length)) {
                sha.update(buffer, 0, n);
                session.send(PeerMessageCodec.encode(new PeerMessage.Chunk(ByteBuffer.wrap(buffer, 0, n))));
                sent += n;
                if (bar != null) {
                    bar.stepTo(sent);
                }
            }
        }
        byte[] hash = sha.digest();
        session.send(PeerMessageCodec.encode(new PeerMessage.Done(hash)));
        PeerMessage answer = next(session).orElseThrow(
                () -> new PeerException(PeerError.CLOSED, "CLOSED the receiver left before confirming the file"));
        session.goodbye(GOODBYE);
        if (answer instanceof PeerMessage.Result r) {
            out.println(r.ok() ? "sent " + name + " (" + size + " bytes, sha256 " + HexFormat.of().formatHex(hash) + ")"
                    : "the receiver refused " + name + ": " + r.reason());
            return r.ok();
        }
        throw new PeerException(PeerError.MALFORMED, "MALFORMED expected the receiver's result, got " + answer);
    }

    /** Receives one file into {@code dir}; true when it arrived whole and was renamed into place. */
    static boolean receive(PeerSession session, Path dir, boolean progress, PrintWriter out)
            throws IOException, InterruptedException {
        PeerMessage first = next(session).orElseThrow(
                () -> new PeerException(PeerError.CLOSED, "CLOSED the sender left before offering a file"));
        if (!(first instanceof PeerMessage.FileOffer offer)) {
            throw new PeerException(PeerError.MALFORMED, "MALFORMED expected a file offer, got " + first);
        }
        Path target = dir.resolve(offer.name());
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return refuse(session, out, offer.name() + " already exists in " + dir);
        }
        Path temporary = Files.createTempFile(dir, "." + offer.name() + ".", ".part");
        boolean done = false;
        try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE);
             ProgressBar bar = bar("receive " + offer.name(), offer.size(), progress)) {
            MessageDigest sha = sha256();
            long received = 0;
            while (true) {
                PeerMessage m = next(session).orElseThrow(
                        () -> new PeerException(PeerError.CLOSED, "CLOSED the sender left in the middle of the file"));
                if (m instanceof PeerMessage.Chunk c) {
                    received += c.bytes().remaining();
                    if (received > offer.size()) {
                        return refuse(session, out, "more bytes than the " + offer.size() + " announced");
                    }
                    sha.update(c.bytes().duplicate());
                    ByteBuffer bytes = c.bytes().duplicate();
                    while (bytes.hasRemaining()) {
                        file.write(bytes);
                    }
                    if (bar != null) {
                        bar.stepTo(received);
                    }
                } else if (m instanceof PeerMessage.Done d) {
                    byte[] hash = sha.digest();
                    if (received != offer.size() || !MessageDigest.isEqual(hash, d.sha256())) {
                        return refuse(session, out, "the file arrived damaged (" + received + " of " + offer.size()
                                + " bytes, SHA-256 mismatch)");
                    }
                    file.force(true);
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                    done = true;
                    session.send(PeerMessageCodec.encode(new PeerMessage.Result(true, "")));
                    session.goodbye(GOODBYE);
                    out.println("received " + target + " (" + received + " bytes, sha256 " + HexFormat.of().formatHex(hash)
                            + ")");
                    return true;
                } else {
                    throw new PeerException(PeerError.MALFORMED, "MALFORMED unexpected " + m + " inside a file");
                }
            }
        } finally {
            if (!done) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static boolean refuse(PeerSession session, PrintWriter out, String reason) throws InterruptedException {
        session.send(PeerMessageCodec.encode(new PeerMessage.Result(false, reason)));
        session.goodbye(GOODBYE);
        out.println("refused: " + reason);
        return false;
    }

    private static Optional<PeerMessage> next(PeerSession session) throws InterruptedException {
        long deadline = System.nanoTime() + MESSAGE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ByteBuffer> m = session.receive(Duration.ofSeconds(1));
            if (m.isPresent()) {
                return Optional.of(PeerMessageCodec.decode(m.get()));
            }
            if (session.peerClosed()) {
                return Optional.empty();
            }
        }
        throw new PeerException(PeerError.TIMEOUT, "TIMEOUT the other peer sent nothing for " + MESSAGE_WAIT.toSeconds() + " s");
    }

    private static ProgressBar bar(String task, long size, boolean wanted) {
        if (!wanted || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(size).setUnit("MiB", 1024 * 1024)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
