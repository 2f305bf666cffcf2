package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted control connection for tests that need exact bytes and replies. */
final class RawClient implements AutoCloseable {
    private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");
    private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(20_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        RawClient c = new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
        c.expect(220);
        return c;
    }

    /** Reads one whole reply (multi-line aware) and returns its last line. */
    String reply() throws IOException {
        String first = in.readLine();
        if (first == null) {
            throw new IOException("connection closed");
        }
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed in a multi-line reply");
                }
            } while (!line.startsWith(end));
            return line;
        }
        return first;
    }

    /** Reads a reply and checks its code; returns the reply line. */
    String expect(int code) throws IOException {
        String line = reply();
        assertTrue(line.startsWith(code + " "), "expected " + code + " but got: " + line);
        return line;
    }

    void send(String line) throws IOException {
        sendRaw(line + "\r\n");
    }

    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a command and checks the reply code. */
    String command(String line, int code) throws IOException {
        send(line);
        return expect(code);
    }

    void login(String user, String password) throws IOException {
        command("USER " + user, 331);
        command("PASS " + password, 230);
    }

    /** PASV, then connects the data socket. */
    Socket pasv() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), pasvPort());
    }

    /** PASV, returning the port. */
    int pasvPort() throws IOException {
        Matcher m = PASV.matcher(command("PASV", 227));
        assertTrue(m.find());
        return Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
    }

    /** EPSV, returning the port. */
    int epsvPort() throws IOException {
        Matcher m = EPSV.matcher(command("EPSV", 229));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** True if the server closed the connection (EOF), false if it sent something. */
    boolean closedByServer() throws IOException {
        try {
            return in.readLine() == null;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
