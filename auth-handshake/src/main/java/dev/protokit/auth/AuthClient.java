package dev.protokit.auth;

import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.Authenticated;
import dev.protokit.common.auth.ClientAuthenticator;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SessionKeys;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.frame.LineOptions;
import dev.protokit.common.frame.LineReader;
import dev.protokit.common.frame.LineWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of the authenticated echo service, usable as a library: {@link #connect} opens the
 * connection and runs the handshake (the server must prove it holds the key too); then
 * {@link #echo} sends a line and returns the reply. One instance per connection; not
 * thread-safe.
 */
public final class AuthClient implements AutoCloseable {
    /**
     * @param server           where the server listens
     * @param key              the key to authenticate with
     * @param connectTimeout   how long to wait for the TCP connection
     * @param handshakeTimeout how long the server has to complete the handshake
     * @param readTimeout      how long to wait for each echoed line ({@code ZERO}: forever)
     * @param maxLineBytes     the longest reply line accepted
     */
    public record Config(InetSocketAddress server, SharedKey key, Duration connectTimeout, Duration handshakeTimeout,
                         Duration readTimeout, int maxLineBytes) {
        public Config {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
        }

        /** 10 s to connect and to authenticate, 30 s per reply, 8 KiB lines. */
        public static Config of(InetSocketAddress server, SharedKey key) {
            return new Config(server, key, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
                    EchoHandler.DEFAULT_MAX_LINE_BYTES);
        }
    }

    private final Socket socket;
    private final Authenticated session;
    private final LineReader reader;
    private final LineWriter writer;

    private AuthClient(Socket socket, Authenticated session, InputStream in, OutputStream out, int maxLineBytes) {
        this.socket = socket;
        this.session = session;
        this.reader = new LineReader(in, LineOptions.strict(maxLineBytes).withCharset(StandardCharsets.ISO_8859_1));
        this.writer = new LineWriter(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Connects and authenticates.
     *
     * @throws IOException   if the server cannot be reached
     * @throws AuthException if authentication fails either way (the server refused us, or it
     *                       could not prove it holds the key), or times out
     */
    public static AuthClient connect(Config config) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(config.server(), Math.toIntExact(config.connectTimeout().toMillis()));
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Authenticated session = new ClientAuthenticator(config.key(), config.handshakeTimeout())
                    .authenticate(socket, in, out);
            socket.setSoTimeout(Math.toIntExact(config.readTimeout().toMillis()));
            return new AuthClient(socket, session, in, out, config.maxLineBytes());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code line} (no CR or LF) and returns the server's reply. */
    public String echo(String line) throws IOException {
        send(line);
        return receive().orElseThrow(() -> new IOException("server closed the connection before replying"));
    }

    /** Sends {@code line} followed by CRLF, without waiting for the reply. */
    public void send(String line) throws IOException {
        writer.writeLineAndFlush(line);
    }

    /** Tells the server no more lines will come (half-close); replies can still be received. */
    public void finishSending() throws IOException {
        writer.flush();
        socket.shutdownOutput();
    }

    /** The next reply line, or empty if the server closed the connection. */
    public Optional<String> receive() throws IOException {
        return reader.readLine();
    }

    /** The key id both sides proved they hold. */
    public KeyId keyId() {
        return session.keyId();
    }

    /** The session keys this handshake derived (equal to the server's), for callers that want them. */
    public SessionKeys keys() {
        return session.keys();
    }

    /** Closes the connection and wipes the session keys. */
    @Override
    public void close() throws IOException {
        session.keys().destroy();
        socket.close();
    }
}
