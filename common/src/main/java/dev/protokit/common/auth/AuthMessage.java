package dev.protokit.common.auth;

import java.util.Objects;

/**
 * The five messages of the {@value Protocol#LABEL} handshake, one per JSON frame.
 * See {@link Protocol} for the order they travel in and what each MAC covers.
 */
public sealed interface AuthMessage {

    /** The wire type of this message. */
    MessageType type();

    /** T1, client to server: which protocol, which key, and the client's fresh nonce. */
    record ClientHello(String protocol, KeyId keyId, Bytes32 nonce) implements AuthMessage {
        public ClientHello {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(nonce, "nonce");
        }

        @Override
        public MessageType type() {
            return MessageType.CLIENT_HELLO;
        }
    }

    /** T2, server to client: the server's fresh nonce. Sent even for an unknown key id. */
    record ServerChallenge(Bytes32 nonce) implements AuthMessage {
        public ServerChallenge {
            Objects.requireNonNull(nonce, "nonce");
        }

        @Override
        public MessageType type() {
            return MessageType.SERVER_CHALLENGE;
        }
    }

    /** T3, client to server: the client's MAC over T1 and T2 under the client label. */
    record ClientProof(Bytes32 mac) implements AuthMessage {
        public ClientProof {
            Objects.requireNonNull(mac, "mac");
        }

        @Override
        public MessageType type() {
            return MessageType.CLIENT_PROOF;
        }
    }

    /** T4 on success, server to client: the server's MAC over T1, T2 and T3 under the server label. */
    record ServerProof(Bytes32 mac) implements AuthMessage {
        public ServerProof {
            Objects.requireNonNull(mac, "mac");
        }

        @Override
        public MessageType type() {
            return MessageType.SERVER_PROOF;
        }
    }

    /** T4 on any failure, server to client: always {@value Protocol#GENERIC_ERROR}. */
    record Failure(String error) implements AuthMessage {
        /** The one failure the server ever sends. */
        public static final Failure GENERIC = new Failure(Protocol.GENERIC_ERROR);

        public Failure {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public MessageType type() {
            return MessageType.FAILURE;
        }
    }
}
