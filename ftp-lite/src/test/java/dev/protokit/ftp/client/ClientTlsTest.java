package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explicit TLS (AUTH TLS, PROT P) against pyftpdlib requiring TLS on control and data, with a
 * self-signed certificate: refused by default, accepted when it is the --ca-file or with --insecure.
 */
class ClientTlsTest {
    @TempDir
    static Path serverRoot;

    @TempDir
    static Path certs;

    @TempDir
    Path local;

    static PyFtpd server;
    static TestCerts.Pems pems;

    @BeforeAll
    static void start() throws Exception {
        pems = TestCerts.write(certs);
        server = PyFtpd.start(serverRoot, Optional.of(pems.keyAndCert()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusesAnUntrustedCertificate() {
        var result = Cli.run("ls", "--tls", server.url(""));
        assertEquals(3, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: 127.0.0.1:" + server.port() + ": TLS failed: "), result::toString);
        // Issue #9: say how to get past a self-signed certificate.
        assertTrue(result.err().contains("--ca-file") && result.err().contains("--insecure"), result::toString);
    }

    @Test
    void plainLoginIsRefusedByATlsOnlyServer() {
        var result = Cli.run("ls", server.url(""));
        assertEquals(3, result.status(), result::toString);
        assertTrue(result.err().contains("550 SSL/TLS required on the control channel."), result::toString);
    }

    @Test
    void transfersBothWaysWithTheCaFile() throws Exception {
        byte[] data = ClientContract.random(1_000_000, 7);
        Path file = local.resolve("tls.bin");
        Files.write(file, data);
        var put = Cli.run("put", "-q", "--tls", "--ca-file", pems.cert().toString(), file.toString(), server.url("tls.bin"));
        assertEquals(0, put.status(), put::toString);
        assertArrayEquals(data, Files.readAllBytes(serverRoot.resolve("tls.bin")));
        Path back = local.resolve("back.bin");
        var get = Cli.run("get", "-q", "--tls", "--ca-file", pems.cert().toString(), server.url("tls.bin"), back.toString());
        assertEquals(0, get.status(), get::toString);
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void insecureAcceptsTheSelfSignedCertificateAndStillEncryptsData() throws Exception {
        Files.createDirectories(serverRoot.resolve("tree/d"));
        Files.writeString(serverRoot.resolve("tree/d/x.txt"), "x");
        var mirror = Cli.run("mirror", "--tls", "--insecure", "-v", server.url("tree"), local.resolve("tree").toString());
        assertEquals(0, mirror.status(), mirror::toString);
        assertEquals("x", Files.readString(local.resolve("tree/d/x.txt")));
        assertTrue(mirror.err().contains("PROT P"), "data must be protected: " + mirror.err());
        assertTrue(!mirror.err().contains("ftp-lite@"), "the password must not be printed: " + mirror.err());
    }
}
