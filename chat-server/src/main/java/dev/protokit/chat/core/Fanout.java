package dev.protokit.chat.core;

/**
 * Carries events to the clients subscribed to a topic: a room ({@link Conversation#key()}), or
 * one person ({@link #personTopic}). The core publishes only through this interface, so a
 * multi-node mode over a message broker is a new implementation (publish to the broker, deliver
 * what arrives to the local subscribers), not a change to the core. {@link LocalFanout} is the
 * in-process one. Implementations never block on a subscriber ({@link ClientSink#deliver} does not).
 */
public interface Fanout {

    /** Adds {@code sink} to {@code topic}'s subscribers. */
    void subscribe(String topic, ClientSink sink);

    /** Removes {@code sink} from {@code topic}'s subscribers. */
    void unsubscribe(String topic, ClientSink sink);

    /** Delivers {@code event} to every subscriber of {@code topic} except {@code skip} (may be the sender, or null). */
    void publish(String topic, ChatEvent event, ClientSink skip);

    /**
     * Delivers {@code event} once to every sink subscribed to any of {@code topics} except
     * {@code skip}: a QUIT, NICK or AWAY reaches a client sharing several rooms only once.
     */
    void publishOnce(java.util.Collection<String> topics, ChatEvent event, ClientSink skip);

    /** The topic of an account ({@code @name}) or, for a guest, of a nick ({@code ~nick}). */
    static String personTopic(String accountOrNick, boolean account) {
        return (account ? "@" : "~") + Names.fold(accountOrNick);
    }
}
