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
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
        server = echoServer(ServerTls.selfSignedIn(dir, "test", "protokit test"));
        client = trusting(dir.resolve("test-cert.pem"));
    }

    private static TcpServer echoServer(SSLContext context) {
        ConnectionHandler echo = session -> {
            try (SSLSocket ssl = ServerTls.serverSide(context, session.socket(), TlsVersions.TLS_1_2_AND_1_3)) {
                ssl.startHandshake();
                session.handshakeComplete();
                ssl.getInputStream().transferTo(ssl.getOutputStream());
            }
        };
        return TcpServer.start(new TcpServer.Config("tls-test",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ConnectionLimits(16, 16),
                Duration.ofMinutes(1), Duration.ofMinutes(1)), echo);
    }

    private static SSLContext trusting(Path certFile) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {ClientTrust.fromPem(certFile)}, null);
        return context;
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

    /**
     * The key is handed to JSSE without a KeyStore: an RSA key (the usual openssl certificate)
     * must sign TLS 1.2 ECDHE_RSA and TLS 1.3 rsa_pss_rsae handshakes as the EC one does.
     */
    @Test
    void servesAnRsaKeyFromPemOverTls12And13() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024); // the key's type is under test, not its size; 2048-bit generation takes seconds on a loaded host
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "localhost").build();
        Instant now = Instant.now();
        var certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(3600)), name, pair.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path cert = dir.resolve("rsa-cert.pem");
        Path key = dir.resolve("rsa-key.pem");
        PemFiles.write(key, pair.getPrivate(), true);
        PemFiles.write(cert, certificate, false);
        TcpServer rsa = echoServer(ServerTls.fromPem(cert, key));
        try {
            SSLContext trustsRsa = trusting(cert);
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                var plain = new Socket(InetAddress.getLoopbackAddress(), rsa.port());
                plain.setSoTimeout(20_000);
                try (var ssl = (SSLSocket) trustsRsa.getSocketFactory().createSocket(plain, "localhost", rsa.port(), true)) {
                    ssl.setEnabledProtocols(new String[] {protocol});
                    ssl.startHandshake();
                    assertArrayEquals(new byte[] {5}, echo(ssl, (byte) 5));
                    assertEquals(protocol, ssl.getSession().getProtocol());
                    assertEquals("RSA", ssl.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
                }
            }
        } finally {
            rsa.close();
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
