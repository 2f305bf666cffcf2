package dev.protokit.chat.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A room at run time: its stored {@link RoomSettings} (replaced whole on each change), the
 * clients in it with their operator/voice status, and pending invitations. Reads (may this
 * client speak? who is here?) take no lock; joins and changes run under {@link #lock} so that
 * admission checks and the member limit hold under concurrent joins.
 */
public final class Room {
    /** A member's status in the room. */
    public record Status(boolean operator, boolean voice) {
        /** The IRC prefix: {@code @}, {@code +} or nothing. */
        public String prefix() {
            return operator ? "@" : voice ? "+" : "";
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    /**
     * Orders the room's messages: a message's time is taken, it is stored and published under
     * this lock, so server-time, history ids and what members receive agree, and two senders
     * racing cannot enter the log in the other order than their times.
     */
    final ReentrantLock speech = new ReentrantLock();
    /** The time of the room's last message; under {@link #speech}. */
    private Instant lastSaid = Instant.EPOCH;
    private volatile RoomSettings settings;
    private final Map<Client, Status> members = new ConcurrentHashMap<>();
    /** What {@link #roster()} returns, or null until it builds one; written under {@link #lock} only. */
    private volatile Roster roster;
    /** Folded nicks and account names invited since the last join (IRC INVITE). */
    private final Set<String> invited = ConcurrentHashMap.newKeySet();

    Room(RoomSettings settings) {
        this.settings = settings;
    }

    /**
     * The time of a message being said now, under {@link #speech}: {@code now}, or the previous
     * message's time if the clock went back (a step of the wall clock must not reorder the room).
     */
    Instant nextMessageTime(Instant now) {
        if (now.isAfter(lastSaid)) {
            lastSaid = now;
        }
        return lastSaid;
    }

    /** The settings now. */
    public RoomSettings settings() {
        return settings;
    }

    void settings(RoomSettings newSettings) {
        this.settings = newSettings;
    }

    /** The display name (without {@code #}). */
    public String name() {
        return settings.name();
    }

    /** The topic of this room in the fan-out (its conversation key). */
    public String topic() {
        return new Conversation.Room(settings.name()).key();
    }

    /** The members and their status now (a live view; iterate, do not keep). */
    public Map<Client, Status> members() {
        return members;
    }

    /** How many clients are in the room. */
    public int size() {
        return members.size();
    }

    /** {@code client}'s status, or null if not a member. */
    Status status(Client client) {
        return members.get(client);
    }

    /**
     * The members as a names reply lists them: the roster kept since it was last built, appended
     * to by joins; built now (under the lock) if a leave, a status or a nick change dropped it.
     */
    public Roster roster() {
        Roster r = roster;
        if (r != null) {
            return r;
        }
        lock.lock();
        try {
            if (roster == null) {
                roster = Roster.of(members);
            }
            return roster;
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code client} or changes its status; the caller holds {@link #lock}. */
    void put(Client client, Status status) {
        assert lock.isHeldByCurrentThread();
        boolean joined = members.put(client, status) == null;
        Roster r = roster;
        roster = joined && r != null ? r.plus(client.nick(), status) : null;
    }

    /** Removes {@code client}; the caller holds {@link #lock}. */
    boolean remove(Client client) {
        assert lock.isHeldByCurrentThread();
        roster = null;
        return members.remove(client) != null;
    }

    /** A member's nick changed: the roster is built again when next asked for. */
    void nickChanged() {
        lock.lock();
        try {
            roster = null;
        } finally {
            lock.unlock();
        }
    }

    Set<String> invited() {
        return invited;
    }

    /** Whether {@code identity} matches one of the ban masks. */
    public boolean isBanned(Identity identity) {
        List<String> bans = settings.bans();
        if (bans.isEmpty()) {
            return false;
        }
        String mask = Names.fold(identity.mask());
        String account = identity.account().map(a -> "$a:" + Names.fold(a)).orElse("");
        for (String ban : bans) {
            String b = Names.fold(ban);
            if (b.equals(account) || glob(b).matcher(mask).matches()) {
                return true;
            }
        }
        return false;
    }

    /** An IRC mask with {@code *} and {@code ?} as a regular expression, everything else literal. */
    static Pattern glob(String mask) {
        var re = new StringBuilder();
        for (char c : mask.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
