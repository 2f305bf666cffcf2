package dev.protokit.ftp.client;

import dev.protokit.ftp.server.FtpServer;
import dev.protokit.ftp.server.FtpServerConfig;
import dev.protokit.ftp.server.users.Argon2id;
import dev.protokit.ftp.server.users.FtpUser;
import dev.protokit.ftp.server.users.UserDirectory;
import dev.protokit.ftp.server.users.UserEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The client contract against our own server, in-process on a free port, with a users-file user. */
class OurServerClientTest extends ClientContract {
    @TempDir
    static Path root;

    static FtpServer server;

    @BeforeAll
    static void start() {
        server = FtpServer.start(FtpServerConfig.builder(root)
                .anonymous(true, true)
                .users(users(root)::authenticate)
                .build());
    }

    /** {@link PyFtpd#USER} with {@link PyFtpd#PASSWORD}, home {@code root}, may write. */
    static UserDirectory users(Path home) {
        char[] password = PyFtpd.PASSWORD.toCharArray();
        var entry = new UserEntry(new FtpUser(PyFtpd.USER, home.toAbsolutePath(), true, OptionalLong.empty()),
                Argon2id.hash(password));
        return UserDirectory.of(List.of(entry));
    }

    @AfterAll
    static void stop() {
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
