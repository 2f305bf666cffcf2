package dev.protokit.ftp.client;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The client contract against Debian's pyftpdlib, an independent implementation. */
class PyftpdlibClientTest extends ClientContract {
    @TempDir
    static Path root;

    static PyFtpd server;

    @BeforeAll
    static void start() throws Exception {
        server = PyFtpd.start(root, Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Path serverRoot() {
        return root;
    }

    @Override
    int port() {
        return server.port();
    }
}
