package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.common.auth.ServerHandshake;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A scripted peer on a raw socket, for playing attacker: writes any bytes or frames, reads
 * frames, and checks that after a failure the server sends nothing more (no echo) and hangs up.
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
    }

    static RawPeer connect(InetSocketAddress server) throws IOException {
        return from(null, server);
    }

    /** Connects from {@code local} (another loopback address), so the server sees another peer. */
    static RawPeer from(InetAddress local, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(server, 5000);
        return new RawPeer(socket);
    }

    Socket socket() {
        return socket;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    void writeFrame(byte[] body) throws IOException {
        out.write(frame(body));
        out.flush();
    }

    void writeRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    byte[] readFrame() throws IOException {
        int length = in.readInt();
        return in.readNBytes(length);
    }

    /**
     * Tries to get an echo out of the server after a failed handshake, then asserts that all
     * it ever sent back is the generic failure frame, followed by the end of the connection.
     */
    void assertFailedWithoutEcho() throws IOException {
        try {
            writeRaw("echo me\r\n");
        } catch (IOException closedAlready) {
            // the server may have hung up already; what matters is what it sent
        }
        assertArrayEquals(frame(ServerHandshake.failure()), readToEnd(), "server sent more than the generic failure");
    }

    /** All bytes until the server closes the connection. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // a reset after the server closed with our unread "echo me" pending is a close too
        }
        return all.toByteArray();
    }

    static byte[] frame(byte[] body) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(body.length >>> 24);
        frame.write(body.length >>> 16);
        frame.write(body.length >>> 8);
        frame.write(body.length);
        frame.writeBytes(body);
        return frame.toByteArray();
    }

    static void assertGenericFailure(byte[] body) {
        assertEquals("{\"type\":\"failure\",\"error\":\"authentication failed\"}", new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
