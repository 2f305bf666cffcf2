package dev.protokit.common.auth;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * The two keys a successful handshake derives for the caller, one per direction, so a message
 * MACed or encrypted by one side can never be reflected back as if the other side sent it.
 *
 * <p>Both sides derive equal keys; every session gets new ones (both nonces are fresh). Call
 * {@link #destroy()} when done: it overwrites the key bytes. {@code toString} never shows them.
 */
public final class SessionKeys implements Destroyable {
    private final byte[] clientToServer;
    private final byte[] serverToClient;
    private volatile boolean destroyed;

    SessionKeys(byte[] clientToServer, byte[] serverToClient) {
        this.clientToServer = checked(clientToServer).clone();
        this.serverToClient = checked(serverToClient).clone();
    }

    /** A copy of the key for traffic the client sends and the server receives. */
    public byte[] clientToServer() {
        requireLive();
        return clientToServer.clone();
    }

    /** A copy of the key for traffic the server sends and the client receives. */
    public byte[] serverToClient() {
        requireLive();
        return serverToClient.clone();
    }

    /** The key {@code role} sends with. */
    public byte[] sending(Protocol.Role role) {
        return switch (Objects.requireNonNull(role, "role")) {
            case CLIENT -> clientToServer();
            case SERVER -> serverToClient();
        };
    }

    /** The key {@code role} receives with. */
    public byte[] receiving(Protocol.Role role) {
        return switch (Objects.requireNonNull(role, "role")) {
            case CLIENT -> serverToClient();
            case SERVER -> clientToServer();
        };
    }

    /** Overwrites both keys with zeros; later accessor calls throw. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(clientToServer, (byte) 0);
        Arrays.fill(serverToClient, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return destroyed ? "SessionKeys[destroyed]" : "SessionKeys[2 x " + Protocol.SESSION_KEY_BYTES + " bytes, redacted]";
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException("session keys were destroyed");
        }
    }

    private static byte[] checked(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != Protocol.SESSION_KEY_BYTES) {
            throw new IllegalArgumentException("session key must be " + Protocol.SESSION_KEY_BYTES + " bytes");
        }
        return key;
    }
}
