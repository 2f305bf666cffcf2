package dev.protokit.chat.server;

import dev.protokit.chat.irc.IrcCodec;
import dev.protokit.chat.irc.IrcMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A raw-socket IRC client for tests: writes lines, reads parsed messages with a generous deadline. */
final class IrcTestClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final List<String> seen = new ArrayList<>();

    IrcTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(Math.toIntExact(WAIT.toMillis()));
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    static IrcTestClient connect(int port) throws IOException {
        return new IrcTestClient(new Socket("127.0.0.1", port));
    }

    /** Connects and registers as {@code nick} (no CAP), waiting for 001. */
    static IrcTestClient register(int port, String nick) throws IOException {
        IrcTestClient c = connect(port);
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick + " test");
        c.expect("001");
        c.expect("376", "422");
        return c;
    }

    /** Registers as {@code nick} and joins {@code channel}, waiting for the end of its NAMES. */
    static IrcTestClient joined(int port, String nick, String channel) throws IOException {
        IrcTestClient c = register(port, nick);
        c.send("JOIN " + channel);
        c.expect("366");
        return c;
    }

    void send(String line) throws IOException {
        sendRaw(line + "\r\n");
    }

    void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next message, or null at end of stream. */
    IrcMessage next() throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        seen.add(line);
        return IrcCodec.parse(line);
    }

    /** Reads until a message with one of {@code commands}; fails on end of stream or timeout. */
    IrcMessage expect(String... commands) throws IOException {
        List<String> wanted = List.of(commands);
        return until(m -> wanted.contains(m.command()), String.join("|", commands));
    }

    IrcMessage until(Predicate<IrcMessage> p, String what) throws IOException {
        while (true) {
            IrcMessage m;
            try {
                m = next();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("timed out waiting for " + what + "; saw " + tail());
            }
            if (m == null) {
                throw new AssertionError("connection closed waiting for " + what + "; saw " + tail());
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    /** Reads until the server closes the connection; returns the lines read. */
    List<String> drainToEnd() throws IOException {
        List<String> lines = new ArrayList<>();
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // reset by the server counts as closed
        }
        seen.addAll(lines);
        return lines;
    }

    private String tail() {
        return seen.subList(Math.max(0, seen.size() - 8), seen.size()).toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
