package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.tls.ServerTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The client offers TLS 1.2 first (see {@link ResumingFtpsClient}); a server that speaks only
 * TLS 1.3 refuses that handshake, and the client must then connect again offering TLS 1.3 rather
 * than fail. Before the fallback, {@code --tls} could not reach such a server at all.
 */
class TlsVersionFallbackTest {
    @Test
    void aTls13OnlyServerIsReachedOnASecondConnection() throws Exception {
        SSLContext tls = ServerTls.selfSignedInMemory("127.0.0.1");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> serve(listener, tls, seen));
            var result = Cli.run("mkdir", "--tls", "--insecure", "ftp://127.0.0.1:" + listener.getLocalPort() + "/made");
            listener.close();
            server.join(10_000);
            assertEquals(0, result.status(), result::toString);
            assertTrue(seen.contains("handshake failed"), () -> "the first connection offered TLS 1.3 already: " + seen);
            assertTrue(seen.contains("TLSv1.3 MKD made"), () -> "no MKD over TLS 1.3: " + seen);
        }
    }

    /** Control connections, one after the other: 220, AUTH TLS, a TLS 1.3-only handshake, then a few commands. */
    private static void serve(ServerSocket listener, SSLContext tls, List<String> seen) {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                var in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
                send(plain.getOutputStream(), "220 TLS 1.3 only");
                if (!"AUTH TLS".equalsIgnoreCase(in.readLine())) {
                    send(plain.getOutputStream(), "530 AUTH TLS first");
                    continue;
                }
                send(plain.getOutputStream(), "234 go ahead");
                SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), false);
                s.setUseClientMode(false);
                s.setEnabledProtocols(new String[] {"TLSv1.3"});
                try {
                    s.startHandshake();
                } catch (IOException refused) {
                    seen.add("handshake failed");
                    continue;
                }
                commands(s, seen);
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    private static void commands(SSLSocket s, List<String> seen) throws IOException {
        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "USER" -> send(out, "331 password please");
                case "PASS" -> send(out, "230 logged in");
                case "PBSZ", "PROT", "TYPE" -> send(out, "200 ok");
                case "MKD" -> {
                    seen.add(s.getSession().getProtocol() + " " + line);
                    send(out, "257 \"/made\" created");
                }
                case "QUIT" -> {
                    send(out, "221 bye");
                    return;
                }
                default -> send(out, "502 not implemented");
            }
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
