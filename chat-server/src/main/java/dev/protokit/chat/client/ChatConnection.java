package dev.protokit.chat.client;

import dev.protokit.chat.wire.ChatCodec;
import dev.protokit.chat.wire.ChatWireException;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.chat.wire.WireLimits;
import dev.protokit.common.auth.ClientAuthenticator;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.frame.Frame;
import dev.protokit.common.frame.FrameLimits;
import dev.protokit.common.frame.FrameReader;
import dev.protokit.common.frame.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code protokit-chat/1} connection from the client side: TCP, the mutual
 * {@code protokit-auth/1} handshake with the account's key, then the {@code welcome}. Sending is
 * safe from any thread (one lock around the writer, never held while reading); receiving is for
 * one reader thread. Used by {@code bin/chat} and by the server's tests as a real peer.
 */
public final class ChatConnection implements AutoCloseable {
    /** A received message and, for {@code file}, a stream over its body valid until the next receive. */
    public record Received(ServerMessage message, InputStream body) {
        public Received {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(body, "body");
        }
    }

    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ServerMessage.Welcome welcome;

    private ChatConnection(Socket socket, FrameReader reader, FrameWriter writer) throws IOException {
        this.socket = socket;
        this.reader = reader;
        this.writer = writer;
        Received first = receive().orElseThrow(() -> new EOFException("the server closed the connection before welcome"));
        if (!(first.message() instanceof ServerMessage.Welcome w)) {
            throw new ChatWireException(ErrorCode.MALFORMED, "expected welcome, got " + first.message());
        }
        this.welcome = w;
    }

    /**
     * Connects to {@code server}, authenticates with {@code key} (its id is the account name) and
     * waits for the {@code welcome}.
     *
     * @throws IOException if the server cannot be reached or hangs up
     * @throws dev.protokit.common.auth.AuthException if either side fails to prove it holds the key
     */
    public static ChatConnection open(InetSocketAddress server, SharedKey key, Duration timeout) throws IOException {
        return open(Dialer.plain(server), key, timeout);
    }

    /**
     * Connects through {@code dialer} (plain TCP or TLS), authenticates with {@code key} and waits
     * for the {@code welcome}.
     *
     * @throws javax.net.ssl.SSLException if the TLS handshake fails (an untrusted certificate, a plain server)
     */
    public static ChatConnection open(Dialer dialer, SharedKey key, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(dialer.server(), Math.toIntExact(timeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            socket = dialer.secure(socket);
            InputStream rawIn = socket.getInputStream();
            var rawOut = socket.getOutputStream();
            new ClientAuthenticator(key, timeout).authenticate(socket, rawIn, rawOut);
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            var reader = new FrameReader(new BufferedInputStream(rawIn, 16 * 1024),
                    new FrameLimits(WireLimits.MAX_SERVER_HEADER_BYTES, Long.MAX_VALUE));
            var writer = new FrameWriter(new BufferedOutputStream(rawOut, 16 * 1024),
                    new FrameLimits(WireLimits.MAX_CLIENT_HEADER_BYTES, Long.MAX_VALUE));
            ChatConnection connection = new ChatConnection(socket, reader, writer);
            socket.setSoTimeout(0);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** What the server said first: the account, the server's name, the attachment limit. */
    public ServerMessage.Welcome welcome() {
        return welcome;
    }

    /** Sends one message without a body, and flushes. */
    public void send(ClientMessage message) throws IOException {
        if (message instanceof ClientMessage.Attach) {
            throw new IllegalArgumentException("attach carries a body: use sendFile");
        }
        writeLock.lock();
        try {
            writer.write(ChatCodec.encode(message), new byte[0]);
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends an {@code attach} and its {@code size} bytes from {@code file}, and flushes. */
    public void sendFile(ClientMessage.Attach attach, InputStream file) throws IOException {
        writeLock.lock();
        try {
            writer.write(ChatCodec.encode(attach), file, attach.size());
        } finally {
            writeLock.unlock();
        }
    }

    /** The next message from the server, or empty when it closed the connection cleanly. */
    public Optional<Received> receive() throws IOException {
        Optional<Frame> frame = reader.next();
        if (frame.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Received(ChatCodec.decodeServer(frame.get().header()), frame.get().body()));
    }

    /** Sets how long a receive waits ({@code ZERO}: forever). */
    public void receiveTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    /** Closes the connection; a blocked {@link #receive()} ends with an exception. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
