package dev.protokit.ftp.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A scripted, lying FTP server for one session: it logs anyone in, refuses EPSV so the client
 * must use PASV, answers PASV with a third party's address (10.9.8.7) but listens on loopback,
 * sends whatever LIST body and RETR data the test gives it, and refuses every upload mid-way with
 * a 552. Commands seen are recorded.
 */
final class HostileServer implements AutoCloseable {
    private final ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final ServerSocket data = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final String listing;
    private final byte[] file;
    private final long advertisedSize;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    HostileServer(String listing, byte[] file) throws IOException {
        this(listing, file, file.length);
    }

    /** A server whose SIZE reply says {@code advertisedSize} whatever RETR then sends. */
    HostileServer(String listing, byte[] file, long advertisedSize) throws IOException {
        this.listing = listing;
        this.file = file;
        this.advertisedSize = advertisedSize;
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return control.getLocalPort();
    }

    List<String> commands() {
        return List.copyOf(commands);
    }

    private void serve() {
        try (Socket s = control.accept()) {
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            send(out, "220 hostile ready");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "USER" -> send(out, "331 password please");
                    case "PASS" -> send(out, "230 logged in");
                    case "TYPE" -> send(out, "200 ok");
                    case "FEAT" -> send(out, "211 no features");
                    case "EPSV" -> send(out, "500 EPSV not understood");
                    case "PASV" -> send(out, "227 Entering Passive Mode (10,9,8,7," + (data.getLocalPort() >> 8) + ","
                            + (data.getLocalPort() & 0xff) + ")");
                    case "SIZE" -> send(out, "213 " + advertisedSize);
                    case "PWD" -> send(out, "257 \"/\"");
                    case "CWD" -> send(out, line.equals("CWD /") ? "250 ok" : "550 not a directory");
                    case "LIST", "NLST" -> transfer(out, listing.getBytes(StandardCharsets.UTF_8));
                    case "RETR" -> transfer(out, file);
                    case "STOR" -> refuseUpload(out);
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away; the test's assertions decide
        }
    }

    private void transfer(OutputStream out, byte[] body) throws IOException {
        send(out, "150 here it comes");
        try (Socket d = data.accept()) {
            d.getOutputStream().write(body);
        }
        send(out, "226 done");
    }

    /** Takes the data connection, drops it at once and says why on the control connection. */
    private void refuseUpload(OutputStream out) throws IOException {
        send(out, "150 go ahead");
        try (Socket d = data.accept()) {
            d.setSoLinger(true, 0); // reset, so the client's writes fail
        }
        send(out, "552 Exceeded storage allocation: files may be at most 1000 bytes.");
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        control.close();
        data.close();
        thread.join(5_000);
    }
}
