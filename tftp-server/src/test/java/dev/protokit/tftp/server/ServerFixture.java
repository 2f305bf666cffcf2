package dev.protokit.tftp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Starts a {@link TftpServer} on 127.0.0.1 port 0 over a temporary root, for integration tests. */
final class ServerFixture implements AutoCloseable {
    final Path root;
    final TftpServer server;

    private ServerFixture(Path root, TftpServer server) {
        this.root = root;
        this.server = server;
    }

    /** A server of {@code root} with short timeouts, changed by {@code tweak}, on {@code host}. */
    static ServerFixture start(Path root, String host, UnaryOperator<TftpServerConfig> tweak) throws IOException {
        var config = tweak.apply(TftpServerConfig.defaults(root).withTimeout(Duration.ofMillis(300)).withRetries(4));
        return new ServerFixture(root, TftpServer.start(config, new InetSocketAddress(host, 0)));
    }

    static ServerFixture start(Path root, UnaryOperator<TftpServerConfig> tweak) throws IOException {
        return start(root, "127.0.0.1", tweak);
    }

    InetSocketAddress address() {
        return server.localAddress();
    }

    /** Writes {@code size} reproducible random bytes to {@code name} in the root. */
    Path file(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size * 31L + name.hashCode()).nextBytes(bytes);
        return Files.write(root.resolve(name), bytes);
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
