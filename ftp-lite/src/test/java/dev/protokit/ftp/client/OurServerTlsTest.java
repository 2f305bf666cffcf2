package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.tls.ServerTls;
import dev.protokit.ftp.server.FtpServer;
import dev.protokit.ftp.server.FtpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit and implicit FTPS against our server requiring TLS, with a certificate for 127.0.0.1. */
class OurServerTlsTest {
    @TempDir
    static Path root;

    @TempDir
    static Path certs;

    @TempDir
    Path local;

    static FtpServer server;
    static TestCerts.Pems pems;

    @BeforeAll
    static void start() throws Exception {
        pems = TestCerts.write(certs);
        server = FtpServer.start(FtpServerConfig.builder(root)
                .anonymous(true, true)
                .tls(ServerTls.fromPem(pems.cert(), pems.key()))
                .requireTls(true)
                .implicitPort(0)
                .build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String explicitUrl(String path) {
        return "ftp://127.0.0.1:" + server.port() + "/" + path;
    }

    @Test
    void explicitTlsBothWaysVerifyingTheCertificate() throws Exception {
        byte[] data = ClientContract.random(2_000_000, 11);
        Path file = local.resolve("e.bin");
        Files.write(file, data);
        var put = Cli.run("put", "-q", "--tls", "--ca-file", pems.cert().toString(), file.toString(), explicitUrl("e.bin"));
        assertEquals(0, put.status(), put::toString);
        assertArrayEquals(data, Files.readAllBytes(root.resolve("e.bin")));
        var get = Cli.run("get", "-q", "--tls", "--ca-file", pems.cert().toString(), explicitUrl("e.bin"), local.resolve("back").toString());
        assertEquals(0, get.status(), get::toString);
        assertArrayEquals(data, Files.readAllBytes(local.resolve("back")));
    }

    @Test
    void implicitTlsWithAnFtpsUrl() throws Exception {
        Files.createDirectories(root.resolve("imp/d"));
        Files.writeString(root.resolve("imp/d/f.txt"), "implicit");
        String url = "ftps://127.0.0.1:" + server.implicitPort().orElseThrow() + "/imp";
        var mirror = Cli.run("mirror", "--ca-file", pems.cert().toString(), url, local.resolve("imp").toString());
        assertEquals(0, mirror.status(), mirror::toString);
        assertEquals("implicit", Files.readString(local.resolve("imp/d/f.txt")));
    }

    @Test
    void untrustedCertificateIsRefused() {
        var result = Cli.run("ls", "--tls", explicitUrl(""));
        assertEquals(3, result.status(), result::toString);
        assertTrue(result.err().contains("TLS failed"), result::toString);
    }

    @Test
    void plainLoginIsRefusedWhenTheServerRequiresTls() {
        var result = Cli.run("ls", explicitUrl(""));
        assertEquals(3, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: login as anonymous refused: "), result::toString);
    }
}
