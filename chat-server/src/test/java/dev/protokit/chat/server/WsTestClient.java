package dev.protokit.chat.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A raw RFC 6455 client for hostile tests: writes the upgrade request by hand (any Origin, any
 * subprotocols), sends masked frames of any size and opcode, and reads server frames. It never
 * reads unless asked, which is what a stalled browser tab looks like to the server.
 */
final class WsTestClient implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close status, for a close frame with one. */
        int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    final Socket socket;
    final int status;
    final Map<String, String> headers;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    final List<String> seen = new ArrayList<>();

    private WsTestClient(Socket socket, int status, Map<String, String> headers, DataInputStream in) throws IOException {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Sends the upgrade for {@code /irc}; returns the client whatever the status (check {@link #status}). */
    static WsTestClient open(Socket socket, String host, Optional<String> origin, List<String> subprotocols) throws IOException {
        socket.setSoTimeout(Math.toIntExact(IrcTestClient.WAIT.toMillis()));
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        var req = new StringBuilder("GET /irc HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n");
        origin.ifPresent(o -> req.append("Origin: ").append(o).append("\r\n"));
        if (!subprotocols.isEmpty()) {
            req.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        }
        req.append("\r\n");
        socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
        var in = new DataInputStream(socket.getInputStream());
        String statusLine = headerLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = headerLine(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return new WsTestClient(socket, status, headers, in);
    }

    static WsTestClient open(int port, List<String> subprotocols) throws IOException {
        return open(new Socket("127.0.0.1", port), "127.0.0.1:" + port, Optional.empty(), subprotocols);
    }

    private static String headerLine(DataInputStream in) throws IOException {
        var b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("end of stream in the HTTP response");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    void sendText(String line) throws IOException {
        sendFrame(TEXT, line.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked, final frame. */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        var f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** The next frame from the server, or empty at the end of the stream. */
    Optional<Frame> next() throws IOException {
        int b0;
        try {
            b0 = in.read();
        } catch (java.net.SocketException e) {
            return Optional.empty();
        }
        if (b0 < 0) {
            return Optional.empty();
        }
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(len)];
        in.readFully(payload);
        var f = new Frame(b0 & 0x0f, payload);
        if (f.opcode() == TEXT || f.opcode() == BINARY) {
            seen.add(f.text());
        }
        return Optional.of(f);
    }

    /** Reads data frames until one holds an IRC message with {@code command}; fails on close or timeout. */
    String expect(String command) throws IOException {
        return until(line -> command.equals(dev.protokit.chat.irc.IrcCodec.parse(line).command()), command);
    }

    String until(Predicate<String> p, String what) throws IOException {
        while (true) {
            Optional<Frame> f;
            try {
                f = next();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("timed out waiting for " + what + "; saw " + tail());
            }
            if (f.isEmpty() || f.get().opcode() == CLOSE) {
                throw new AssertionError("closed waiting for " + what + "; saw " + tail());
            }
            if ((f.get().opcode() == TEXT || f.get().opcode() == BINARY) && p.test(f.get().text())) {
                return f.get().text();
            }
        }
    }

    /** Reads until a close frame or the end of the stream; returns the close frame if one came. */
    Optional<Frame> awaitClose() throws IOException {
        while (true) {
            Optional<Frame> f = next();
            if (f.isEmpty() || f.get().opcode() == CLOSE) {
                return f;
            }
        }
    }

    private String tail() {
        return seen.subList(Math.max(0, seen.size() - 8), seen.size()).toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
