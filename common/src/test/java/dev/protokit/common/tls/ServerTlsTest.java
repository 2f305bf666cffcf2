package dev.protokit.common.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.TcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server policy against a real JSSE client over loopback, through the daemon runtime. */
class ServerTlsTest {
    @TempDir
    Path dir;
    private TcpServer server;
    private SSLContext client;

    /** Echoes every byte over TLS 1.2 or 1.3. */
    @BeforeEach
    void start() throws Exception {
        SSLContext context = ServerTls.selfSignedIn(dir, "test", "protokit test");
        ConnectionHandler echo = session -> {
            try (SSLSocket ssl = ServerTls.serverSide(context, session.socket(), TlsVersions.TLS_1_2_AND_1_3)) {
                ssl.startHandshake();
                session.handshakeComplete();
                ssl.getInputStream().transferTo(ssl.getOutputStream());
            }
        };
        server = TcpServer.start(new TcpServer.Config("tls-test",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ConnectionLimits(16, 16),
                Duration.ofMinutes(1), Duration.ofMinutes(1)), echo);
        client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {ClientTrust.fromPem(dir.resolve("test-cert.pem"))}, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SSLSocket connect(String protocol, String... suites) throws IOException {
        var plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
        plain.setSoTimeout(20_000);
        var ssl = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", server.port(), true);
        ssl.setEnabledProtocols(new String[] {protocol});
        if (suites.length > 0) {
            ssl.setEnabledCipherSuites(suites);
        }
        return ssl;
    }

    private static byte[] echo(SSLSocket ssl, byte value) throws IOException {
        ssl.getOutputStream().write(value);
        ssl.getOutputStream().flush();
        return ssl.getInputStream().readNBytes(1);
    }

    @Test
    void refusesClientInitiatedRenegotiation() throws Exception {
        try (SSLSocket ssl = connect("TLSv1.2")) {
            ssl.startHandshake();
            assertArrayEquals(new byte[] {1}, echo(ssl, (byte) 1));
            ssl.startHandshake(); // a renegotiation: a new ClientHello on the established connection
            // Refused: the server answers with a fatal alert and closes, so nothing echoes.
            assertThrows(IOException.class, () -> {
                byte[] back = echo(ssl, (byte) 2);
                if (back.length == 0) {
                    throw new IOException("closed by the server");
                }
            });
        }
    }

    @Test
    void refusesCbcSuitesOverTls12() throws Exception {
        try (SSLSocket ssl = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")) {
            assertThrows(SSLHandshakeException.class, ssl::startHandshake);
        }
    }

    @Test
    void negotiatesAnAeadSuiteOverTls12() throws Exception {
        try (SSLSocket ssl = connect("TLSv1.2")) {
            ssl.startHandshake();
            assertArrayEquals(new byte[] {7}, echo(ssl, (byte) 7));
            String suite = ssl.getSession().getCipherSuite();
            assertTrue(suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"), suite);
        }
    }

    @Test
    void speaksTls13() throws Exception {
        try (SSLSocket ssl = connect("TLSv1.3")) {
            ssl.startHandshake();
            assertArrayEquals(new byte[] {9}, echo(ssl, (byte) 9));
            assertEquals("TLSv1.3", ssl.getSession().getProtocol());
        }
    }

    @Test
    void refusesTls11() throws Exception {
        try (SSLSocket ssl = connect("TLSv1.1")) {
            assertThrows(IOException.class, ssl::startHandshake);
        }
    }

    @Test
    void keepsOnlyForwardSecretAeadSuites() {
        String[] kept = ServerTls.aeadSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"});
        assertEquals(Arrays.asList("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"), Arrays.asList(kept));
    }

    @Test
    void selfSignedKeyIsPrivateAndReusedOnRestart() throws Exception {
        Path key = dir.resolve("test-key.pem");
        Path cert = dir.resolve("test-cert.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        byte[] first = Files.readAllBytes(cert);
        ServerTls.selfSignedIn(dir, "test", "protokit test");
        assertArrayEquals(first, Files.readAllBytes(cert));
        assertFalse(Files.exists(dir.resolve("test-key.pem.tmp")));
    }

    @Test
    void namesTheFileWhenItHoldsNoCertificate() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.pem"), "not a certificate\n");
        var e = assertThrows(RuntimeException.class, () -> ServerTls.fromPem(bad, dir.resolve("test-key.pem")));
        assertTrue(e.getMessage().contains("bad.pem"), e.getMessage());
    }
}
