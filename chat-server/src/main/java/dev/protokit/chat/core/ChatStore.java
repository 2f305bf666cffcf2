package dev.protokit.chat.core;

import dev.protokit.common.auth.SharedKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the chat keeps across restarts, behind one narrow interface: accounts and their
 * secrets, room settings, message history and the offline queue. Every method is durable when
 * it returns (a message is stored before it is acknowledged or fanned out). Implementations
 * run their blocking I/O where it cannot hold a carrier thread (the SQLite one on its own
 * platform thread). A multi-node mode replaces this with a shared store; the core does not change.
 */
public interface ChatStore extends AutoCloseable {

    // --- accounts -------------------------------------------------------------------------

    /** Adds {@code account} with its native key and optional SCRAM verifier; refuses a duplicate name. */
    void addAccount(Account account, SharedKey nativeKey, Optional<ScramVerifier> scram);

    /** Removes the account and its secrets and offline queue; false if there was none. */
    boolean removeAccount(String name);

    /** The account named {@code name} (any case). */
    Optional<Account> account(String name);

    /** All accounts, by name. */
    List<Account> accounts();

    /** Replaces the account's SCRAM verifier (IRC SASL password). */
    void setScram(String name, ScramVerifier verifier);

    /** The account's SCRAM verifier, if it has a SASL password. */
    Optional<ScramVerifier> scram(String name);

    /** Replaces the account's native key. */
    void setNativeKey(String name, SharedKey key);

    /** The account's native key (key id = the account name), for the native handshake. */
    Optional<SharedKey> nativeKey(String name);

    /** Sets or clears the account's e-mail address. */
    void setEmail(String name, Optional<String> email);

    /** Records when the account was last online. */
    void setLastSeen(String name, Instant when);

    // --- rooms ----------------------------------------------------------------------------

    /** Inserts or replaces the room's settings. */
    void saveRoom(RoomSettings room);

    /** Every stored room. */
    List<RoomSettings> rooms();

    // --- history --------------------------------------------------------------------------

    /**
     * Stores a message and, in the same transaction, queues it for the {@code offlineRecipients}
     * (account names). Returns it with its server id and time.
     */
    ChatMessage append(Conversation conversation, Instant time, String fromNick, Optional<String> fromAccount,
                       MessageKind kind, String text, List<String> offlineRecipients);

    /** A page of {@code conversation}'s history, oldest first. */
    List<ChatMessage> history(Conversation conversation, HistoryQuery query);

    /**
     * The direct conversations of {@code name} (folded) and the given rooms with a message between
     * {@code from} and {@code to} (IRCv3 CHATHISTORY TARGETS), newest activity last, at most {@code limit}.
     */
    List<Target> targets(String name, List<String> roomKeys, Instant from, Instant to, int limit);

    /** A conversation and the time of its latest message in the asked window. */
    record Target(Conversation conversation, Instant latest) {}

    /** Messages queued for {@code account} while it was offline, oldest first. */
    List<ChatMessage> pendingOffline(String account);

    /** Drops {@code account}'s offline queue up to and including message {@code lastId}. */
    void markDelivered(String account, long lastId);

    /** Deletes history older than {@code cutoff}; returns how many messages went. */
    int purgeBefore(Instant cutoff);

    /** Flushes and closes; later calls fail. */
    @Override
    void close();
}
