package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.common.tls.ServerTls;
import dev.protokit.ftp.server.FtpServer;
import dev.protokit.ftp.server.FtpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that, like vsftpd's default require_ssl_reuse=YES, accepts a PROT P data connection
 * only if it resumes the control connection's TLS session: plain commons-net fails here.
 */
class TlsSessionReuseTest {
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
                .requireTlsReuse(true)
                .build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dataConnectionsResumeTheControlSession() throws Exception {
        byte[] data = ClientContract.random(600_000, 21);
        Path file = local.resolve("r.bin");
        Files.write(file, data);
        String url = "ftp://127.0.0.1:" + server.port() + "/";
        var put = Cli.run("put", "-q", "--tls", "--ca-file", pems.cert().toString(), file.toString(), url + "r.bin");
        assertEquals(0, put.status(), put::toString);
        Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(root.resolve("tree/sub/x.txt"), "x");
        var mirror = Cli.run("mirror", "-q", "--tls", "--ca-file", pems.cert().toString(), url + "tree", local.resolve("tree").toString());
        assertEquals(0, mirror.status(), mirror::toString);
        assertEquals("x", Files.readString(local.resolve("tree/sub/x.txt")));
        var get = Cli.run("get", "-q", "--tls", "--ca-file", pems.cert().toString(), url + "r.bin", local.resolve("back").toString());
        assertEquals(0, get.status(), get::toString);
        assertArrayEquals(data, Files.readAllBytes(local.resolve("back")));
    }
}
