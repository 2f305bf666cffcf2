package dev.protokit.chat.server;

import static org.awaitility.Awaitility.await;

import dev.protokit.chat.client.ChatConnection;
import dev.protokit.chat.core.Account;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A chat server with the native listener on a free loopback port, accounts made on demand, and
 * native clients ({@link ChatConnection}, the real one) whose received messages are collected by
 * a reader thread so tests can await them.
 */
final class NativeFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A connected native client and everything it received so far. */
    static final class Peer implements AutoCloseable {
        final ChatConnection connection;
        final List<ServerMessage> received = new CopyOnWriteArrayList<>();
        final Thread reader;

        Peer(ChatConnection connection) {
            this.connection = connection;
            this.reader = Thread.ofVirtual().start(() -> {
                try {
                    for (var r = connection.receive(); r.isPresent(); r = connection.receive()) {
                        r.get().body().readAllBytes();
                        received.add(r.get().message());
                    }
                } catch (IOException | RuntimeException e) {
                    // the connection closed; tests look at what arrived
                }
            });
        }

        /** Waits for the first received message of {@code type} matching {@code test}. */
        <T extends ServerMessage> T await(Class<T> type, Predicate<T> test) {
            List<T> found = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
                received.stream().filter(type::isInstance).map(type::cast).filter(test).findFirst().ifPresent(found::add);
                return !found.isEmpty();
            });
            return found.getFirst();
        }

        <T extends ServerMessage> List<T> all(Class<T> type) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }

        boolean closedByServer() {
            return !reader.isAlive();
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    volatile ChatServer server;
    private final ChatServerConfig base;
    private final long maxAttachment;
    private final boolean tls;
    private final Map<String, SharedKey> keys = new ConcurrentHashMap<>();
    private final List<Peer> peers = new CopyOnWriteArrayList<>();

    NativeFixture(Path state) {
        this(ChatServerConfig.forTests(state), 1024 * 1024);
    }

    NativeFixture(ChatServerConfig base, long maxAttachment) {
        this(base, maxAttachment, false);
    }

    /** With {@code tls}, the native listener speaks TLS with {@code base}'s certificate ({@code --native-tls}). */
    NativeFixture(ChatServerConfig base, long maxAttachment, boolean tls) {
        this.base = base;
        this.maxAttachment = maxAttachment;
        this.tls = tls;
        server = start(0);
    }

    private ChatServer start(int nativePort) {
        ChatServerConfig config = base.withPorts(base.ircPort(), base.ircTlsPort(), java.util.OptionalInt.of(nativePort))
                .withExtensions(List.of(NativeListener.factory(maxAttachment, tls)), List.of(), ChatServerConfig.NotifierFactory.NONE);
        return ChatServer.start(config);
    }

    /** Stops the server and starts it again on the same native port and state directory. */
    void restart() {
        int port = port();
        server.close();
        server = start(port);
    }

    int port() {
        return server.listener("native").orElseThrow().port();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** The key of account {@code name}, creating the account (with {@code email}) the first time. */
    SharedKey account(String name, Optional<String> email, boolean operator) {
        return keys.computeIfAbsent(name, n -> {
            SharedKey key = KeyFileWriter.generate(new KeyId(n), new SecureRandom());
            server.store().addAccount(Account.create(n, email, operator, Instant.now()), key, Optional.empty());
            return key;
        });
    }

    SharedKey account(String name) {
        return account(name, Optional.empty(), false);
    }

    /** A logged-in native client of account {@code name}. */
    Peer login(String name) throws IOException {
        Peer peer = new Peer(ChatConnection.open(address(), account(name), WAIT));
        peers.add(peer);
        return peer;
    }

    void awaitOffline(String account) {
        await().atMost(WAIT).until(() -> server.core().clientsOf(account).isEmpty());
    }

    @Override
    public void close() {
        for (Peer p : peers) {
            try {
                p.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        server.close();
    }
}
