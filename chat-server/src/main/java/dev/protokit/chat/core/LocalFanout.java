package dev.protokit.chat.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process {@link Fanout}: a concurrent map from topic to a concurrent set of sinks. A
 * publish walks the set on the publisher's thread; each {@link ClientSink#deliver} only queues,
 * so publishing to 2,000 members is 2,000 queue insertions and never a socket write.
 */
public final class LocalFanout implements Fanout {
    private final ConcurrentHashMap<String, Set<ClientSink>> topics = new ConcurrentHashMap<>();

    @Override
    public void subscribe(String topic, ClientSink sink) {
        topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(sink);
    }

    @Override
    public void unsubscribe(String topic, ClientSink sink) {
        topics.computeIfPresent(topic, (t, sinks) -> {
            sinks.remove(sink);
            return sinks.isEmpty() ? null : sinks;
        });
    }

    @Override
    public void publish(String topic, ChatEvent event, ClientSink skip) {
        Set<ClientSink> sinks = topics.get(topic);
        if (sinks == null) {
            return;
        }
        for (ClientSink sink : sinks) {
            if (sink != skip) {
                sink.deliver(event);
            }
        }
    }

    @Override
    public void publishOnce(java.util.Collection<String> topicNames, ChatEvent event, ClientSink skip) {
        Set<ClientSink> seen = new java.util.HashSet<>();
        for (String topic : topicNames) {
            Set<ClientSink> sinks = topics.get(topic);
            if (sinks == null) {
                continue;
            }
            for (ClientSink sink : sinks) {
                if (sink != skip && seen.add(sink)) {
                    sink.deliver(event);
                }
            }
        }
    }

    /** Subscribers of {@code topic} now (for tests). */
    public int subscribers(String topic) {
        Set<ClientSink> sinks = topics.get(topic);
        return sinks == null ? 0 : sinks.size();
    }
}
