package dev.protokit.chat.server;

import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;

/** {@link NativeFixture} for tests in other packages (the client's). */
public final class NativeFixtures {
    private NativeFixtures() {
    }

    /** A running server with the native listener; see {@link NativeFixture}. */
    public static final class Handle implements AutoCloseable {
        private final NativeFixture fixture;

        private Handle(NativeFixture fixture) {
            this.fixture = fixture;
        }

        public int port() {
            return fixture.port();
        }

        public SharedKey account(String name) {
            return fixture.account(name);
        }

        public void restart() {
            fixture.restart();
        }

        @Override
        public void close() {
            fixture.close();
        }
    }

    public static Handle start(Path state) {
        return new Handle(new NativeFixture(state));
    }

    /**
     * A running server whose native listener speaks TLS ({@code --native-tls}) with a self-signed
     * certificate for localhost and 127.0.0.1, written to {@code state/irc-cert.pem}.
     */
    public static Handle startTls(Path state) {
        var base = ChatServerConfig.forTests(state).withTls(0, dev.protokit.common.tls.ServerTls.selfSignedIn(state, "irc", "localhost"));
        return new Handle(new NativeFixture(base, 1024 * 1024, true));
    }
}
