package dev.protokit.ftp.server;

import dev.protokit.ftp.server.users.FtpUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/**
 * A server on a loopback port 0 over a temporary root, with users "alice" (password "secret",
 * read-write, home alice/), "slow" (read-write, 256 KiB/s) and anonymous read-only.
 */
final class ServerFixture implements AutoCloseable {
    static final String PASSWORD = "secret";

    final Path root;
    final FtpServer server;

    private ServerFixture(Path root, FtpServer server) {
        this.root = root;
        this.server = server;
    }

    static ServerFixture start(Path tmp, UnaryOperator<FtpServerConfig.Builder> customize) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("alice"));
        Files.createDirectories(root.resolve("slow"));
        Authenticator users = (name, password) -> {
            if (!String.valueOf(password).equals(PASSWORD)) {
                return Optional.empty();
            }
            return switch (name) {
                case "alice" -> Optional.of(new FtpUser("alice", Path.of("alice"), true, OptionalLong.empty()));
                case "slow" -> Optional.of(new FtpUser("slow", Path.of("slow"), true, OptionalLong.of(256 * 1024)));
                default -> Optional.empty();
            };
        };
        var builder = FtpServerConfig.builder(root).users(users).anonymous(true, false);
        return new ServerFixture(root, FtpServer.start(customize.apply(builder).build()));
    }

    static ServerFixture start(Path tmp) throws IOException {
        return start(tmp, UnaryOperator.identity());
    }

    int port() {
        return server.port();
    }

    Path home(String user) {
        return root.resolve(user);
    }

    /** A logged-in commons-net client in passive binary mode. */
    FTPClient client(String user) throws IOException {
        FTPClient c = new FTPClient();
        c.setDefaultTimeout(20_000);
        c.setDataTimeout(java.time.Duration.ofSeconds(20));
        c.connect("127.0.0.1", port());
        if (!c.login(user, PASSWORD)) {
            throw new IOException("login failed: " + c.getReplyString());
        }
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    RawClient raw() throws IOException {
        return RawClient.connect(port());
    }

    @Override
    public void close() {
        server.close();
    }
}
