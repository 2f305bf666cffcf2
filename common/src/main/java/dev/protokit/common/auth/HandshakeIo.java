package dev.protokit.common.auth;

import dev.protokit.common.frame.FrameCodec;
import dev.protokit.common.frame.FrameException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Moves handshake frames over one connection under one deadline: each read waits at most the
 * time left, so a silent or slow peer cannot hold the handshake open. Reads exactly one frame
 * and nothing more (no read-ahead), so the stream is ready for the next protocol afterwards.
 *
 * <pre>
 *  | u32 length L, big-endian, 1..1024 | L bytes: UTF-8 JSON object |   (no frame body)
 * </pre>
 *
 * <p>Every failure surfaces as an {@link AuthException}: {@code TIMEOUT} when the deadline
 * passes, {@code TRUNCATED} when the peer closes mid-handshake, {@code MALFORMED} for a bad
 * length, {@code IO} for anything else. Confined to the connection's thread.
 */
final class HandshakeIo {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long deadlineNanos;
    private final int originalTimeout;

    HandshakeIo(Socket socket, InputStream in, OutputStream out, Duration deadline) throws SocketException {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
        this.originalTimeout = socket.getSoTimeout();
    }

    /** Reads one frame and returns its JSON bytes exactly as received. */
    byte[] read(String expected) {
        try {
            byte[] prefix = readExactly(4, expected);
            long length = ((prefix[0] & 0xffL) << 24) | ((prefix[1] & 0xff) << 16)
                    | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
            // Checked before anything is allocated for it: "GET / HTTP" as a length costs nothing.
            int checked = FrameCodec.checkHeaderLength(length, AuthCodec.LIMITS);
            return readExactly(checked, expected);
        } catch (FrameException e) {
            throw new AuthException(AuthError.MALFORMED, "bad " + expected + " frame: " + e.getMessage(), e);
        }
    }

    /** Writes one frame: the length prefix and {@code body}, then flushes. */
    void write(byte[] body) {
        byte[] frame = new byte[4 + body.length];
        frame[0] = (byte) (body.length >>> 24);
        frame[1] = (byte) (body.length >>> 16);
        frame[2] = (byte) (body.length >>> 8);
        frame[3] = (byte) body.length;
        System.arraycopy(body, 0, frame, 4, body.length);
        try {
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            throw new AuthException(AuthError.IO, "cannot send handshake frame: " + e.getMessage(), e);
        }
    }

    /** Writes {@code body} if the connection still takes it; for the failure reply on the way out. */
    void writeQuietly(byte[] body) {
        try {
            write(body);
        } catch (AuthException ignored) {
            // the peer is gone or stuck; it was going to be disconnected anyway
        }
    }

    /** Puts back the read timeout the socket had before the handshake. */
    void restoreTimeout() {
        try {
            socket.setSoTimeout(originalTimeout);
        } catch (SocketException ignored) {
            // the socket is closed; there is no timeout left to restore
        }
    }

    private byte[] readExactly(int length, String expected) {
        byte[] buffer = new byte[length];
        int got = 0;
        try {
            while (got < length) {
                socket.setSoTimeout(remainingMillis(expected));
                int n = in.read(buffer, got, length - got);
                if (n < 0) {
                    throw new EOFException();
                }
                got += n;
            }
            return buffer;
        } catch (SocketTimeoutException e) {
            throw new AuthException(AuthError.TIMEOUT, "no " + expected + " before the handshake deadline", e);
        } catch (EOFException e) {
            throw new AuthException(AuthError.TRUNCATED, "connection closed while waiting for " + expected, e);
        } catch (IOException e) {
            throw new AuthException(AuthError.IO, "connection failed while waiting for " + expected + ": " + e.getMessage(), e);
        }
    }

    private int remainingMillis(String expected) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new AuthException(AuthError.TIMEOUT, "no " + expected + " before the handshake deadline");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(left).toMillis()));
    }
}
