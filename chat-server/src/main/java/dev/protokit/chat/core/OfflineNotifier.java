package dev.protokit.chat.core;

/**
 * Told when a direct message or a mention reached an account that was offline and has an e-mail
 * address; the mail module implements it (an outbox in the store, digests, retries). Called on
 * the sender's thread after the message is stored: implementations must not block on the
 * network (queue and return).
 */
@FunctionalInterface
public interface OfflineNotifier {
    /** Does nothing: no mail configured. */
    OfflineNotifier NONE = (recipient, message, reason) -> {};

    /** Why the account is being told. */
    enum Reason {
        /** A direct message to the account. */
        DIRECT,
        /** A room message naming the account. */
        MENTION
    }

    /** {@code recipient} (offline, with an e-mail address) got {@code message}. */
    void offline(Account recipient, ChatMessage message, Reason reason);
}
