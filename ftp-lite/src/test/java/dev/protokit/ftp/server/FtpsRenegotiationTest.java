package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS 1.2 client that renegotiates on the control connection is cut off, on the explicit
 * (AUTH TLS) and the implicit port alike: each renegotiation would cost the server a full
 * handshake, in a loop, on one connection.
 */
class FtpsRenegotiationTest {
    @TempDir
    Path tmp;
    private ServerFixture fx;
    private SSLContext tls12;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.implicitPort(0));
        tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void explicitPortRefusesRenegotiation() throws Exception {
        RawClient plain = fx.raw();
        plain.command("AUTH TLS", 234);
        var ssl = (SSLSocket) tls12.getSocketFactory().createSocket(plain.socket, "127.0.0.1", fx.port(), true);
        ssl.startHandshake();
        try (RawClient c = new RawClient(ssl)) {
            c.command("NOOP", 200);
            ssl.startHandshake();
            assertThrows(IOException.class, () -> c.command("NOOP", 200));
        }
    }

    @Test
    void implicitPortRefusesRenegotiation() throws Exception {
        var socket = new Socket(InetAddress.getLoopbackAddress(), fx.server.implicitPort().orElseThrow());
        var ssl = (SSLSocket) tls12.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.startHandshake();
        try (RawClient c = new RawClient(ssl)) {
            c.expect(220);
            c.command("NOOP", 200);
            ssl.startHandshake();
            assertThrows(IOException.class, () -> c.command("NOOP", 200));
        }
    }
}
