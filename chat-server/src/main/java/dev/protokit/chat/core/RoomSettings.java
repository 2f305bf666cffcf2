package dev.protokit.chat.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the store keeps of a room across restarts: name, topic, flag modes, key, member limit,
 * ban masks, invited accounts, and the accounts that regain operator status when they join.
 * Immutable: every change makes a new value, saved before it is announced.
 */
public record RoomSettings(String name, Optional<Topic> topic, Set<RoomMode> flags, Optional<String> key,
                           OptionalInt limit, List<String> bans, Set<String> operators, Instant created) {
    /** The most ban masks a room keeps (ISUPPORT MAXLIST=b:N). */
    public static final int MAX_BANS = 100;

    /** A topic, who set it and when. */
    public record Topic(String text, String setBy, Instant setAt) {
        public Topic {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(setBy, "setBy");
            Objects.requireNonNull(setAt, "setAt");
        }
    }

    public RoomSettings {
        Names.requireRoom(Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(topic, "topic");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        for (RoomMode m : flags) {
            if (m.kind() != RoomMode.Kind.FLAG) {
                throw new IllegalArgumentException("not a flag mode: " + m);
            }
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limit, "limit");
        bans = List.copyOf(bans);
        operators = Set.copyOf(operators);
        Objects.requireNonNull(created, "created");
    }

    /** A new room: +nt, as IRC servers create them. */
    public static RoomSettings create(String name, Instant now) {
        return new RoomSettings(name, Optional.empty(), EnumSet.of(RoomMode.NO_EXTERNAL, RoomMode.TOPIC_LOCK),
                Optional.empty(), OptionalInt.empty(), List.of(), Set.of(), now);
    }

    /** The folded name, the room's key everywhere. */
    public String id() {
        return Names.fold(name);
    }

    /** Whether flag {@code mode} is set. */
    public boolean has(RoomMode mode) {
        return flags.contains(mode);
    }

    /** With {@code topic}. */
    public RoomSettings withTopic(Optional<Topic> newTopic) {
        return new RoomSettings(name, newTopic, flags, key, limit, bans, operators, created);
    }

    /** With flag {@code mode} set or cleared. */
    public RoomSettings withFlag(RoomMode mode, boolean on) {
        EnumSet<RoomMode> f = flags.isEmpty() ? EnumSet.noneOf(RoomMode.class) : EnumSet.copyOf(flags);
        if (on) {
            f.add(mode);
        } else {
            f.remove(mode);
        }
        return new RoomSettings(name, topic, f, key, limit, bans, operators, created);
    }

    /** With {@code newKey}. */
    public RoomSettings withKey(Optional<String> newKey) {
        return new RoomSettings(name, topic, flags, newKey, limit, bans, operators, created);
    }

    /** With {@code newLimit}. */
    public RoomSettings withLimit(OptionalInt newLimit) {
        return new RoomSettings(name, topic, flags, key, newLimit, bans, operators, created);
    }

    /** With {@code newBans}. */
    public RoomSettings withBans(List<String> newBans) {
        return new RoomSettings(name, topic, flags, key, limit, newBans, operators, created);
    }

    /** With {@code newOperators} (folded account names). */
    public RoomSettings withOperators(Set<String> newOperators) {
        return new RoomSettings(name, topic, flags, key, limit, bans, newOperators, created);
    }
}
