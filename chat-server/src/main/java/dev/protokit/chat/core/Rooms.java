package dev.protokit.chat.core;

import dev.protokit.chat.core.ChatEvent.ModeChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Room membership and settings: join admission (+i +k +l +b), part, topic (+t), modes, kick and
 * invite. Every settings change is saved to the store before it is announced. Lock order: the
 * joining client's membership lock, then the creation lock, then one room's lock; never two
 * rooms' locks at once.
 */
final class Rooms {
    private final ChatCore core;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ReentrantLock creation = new ReentrantLock();

    Rooms(ChatCore core) {
        this.core = core;
        for (RoomSettings s : core.store.rooms()) {
            rooms.put(s.id(), new Room(s));
        }
    }

    Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(Names.fold(name)));
    }

    Collection<Room> all() {
        return List.copyOf(rooms.values());
    }

    int count() {
        return rooms.size();
    }

    Room require(String name) {
        return find(name).orElseThrow(() -> new ChatException(ChatError.NO_SUCH_ROOM, "room " + Names.printable(name)));
    }

    /** Admits {@code client} (run under its membership lock: see {@link Client}). */
    Room join(Client client, String name, Optional<String> key) {
        Names.requireRoom(name);
        Room room = find(name).orElseGet(() -> create(client, name));
        room.lock.lock();
        try {
            if (room.status(client) != null) {
                return room;
            }
            if (client.rooms.size() >= core.config.maxRoomsPerClient()) {
                throw new ChatException(ChatError.TOO_MANY_ROOMS, "at most " + core.config.maxRoomsPerClient() + " rooms");
            }
            RoomSettings s = room.settings();
            Identity who = client.identity();
            boolean invited = room.invited().contains(who.nickKey())
                    || who.account().map(a -> room.invited().contains(Names.fold(a))).orElse(false);
            if (room.isBanned(who) && !invited) {
                throw new ChatException(ChatError.BANNED, "from " + s.name());
            }
            if (s.has(RoomMode.INVITE_ONLY) && !invited) {
                throw new ChatException(ChatError.INVITE_ONLY, "room " + s.name());
            }
            if (s.key().isPresent() && !s.key().equals(key)) {
                throw new ChatException(ChatError.BAD_KEY, "room " + s.name());
            }
            if (s.limit().isPresent() && room.size() >= s.limit().getAsInt()) {
                throw new ChatException(ChatError.ROOM_FULL, "room " + s.name() + " limit " + s.limit().getAsInt());
            }
            boolean founder = room.size() == 0 && s.operators().isEmpty();
            boolean op = founder || who.account().map(a -> s.operators().contains(Names.fold(a))).orElse(false);
            if (founder && who.account().isPresent()) {
                save(room, s.withOperators(Set.of(Names.fold(who.account().get()))));
            }
            room.invited().remove(who.nickKey());
            who.account().ifPresent(a -> room.invited().remove(Names.fold(a)));
            room.put(client, new Room.Status(op, false));
            client.rooms.add(room);
            core.fanout.subscribe(room.topic(), client.sink());
            core.fanout.publish(room.topic(), new ChatEvent.Joined(s.name(), who), null);
            return room;
        } finally {
            room.lock.unlock();
        }
    }

    private Room create(Client client, String name) {
        if (core.config.roomCreation() == ChatConfig.RoomCreation.OPERATORS && !client.isOperator()) {
            throw new ChatException(ChatError.ROOM_CREATION_RESTRICTED, "room " + name + " does not exist");
        }
        creation.lock();
        try {
            Room existing = rooms.get(Names.fold(name));
            if (existing != null) {
                return existing;
            }
            RoomSettings s = RoomSettings.create(name, core.clock.instant());
            core.store.saveRoom(s);
            Room room = new Room(s);
            rooms.put(s.id(), room);
            return room;
        } finally {
            creation.unlock();
        }
    }

    void part(Client client, String name, Optional<String> reason) {
        Room room = require(name);
        if (room.status(client) == null) {
            throw new ChatException(ChatError.NOT_IN_ROOM, "room " + room.name());
        }
        core.fanout.publish(room.topic(), new ChatEvent.Parted(room.name(), client.identity(), reason), null);
        leave(client, room);
    }

    /** Removes {@code client} from {@code room} without announcing it (the caller did). */
    void leave(Client client, Room room) {
        room.lock.lock();
        try {
            room.remove(client);
            client.rooms.remove(room);
            core.fanout.unsubscribe(room.topic(), client.sink());
        } finally {
            room.lock.unlock();
        }
    }

    void topic(Client client, String name, String text) {
        Room room = require(name);
        room.lock.lock();
        try {
            Room.Status st = room.status(client);
            if (st == null) {
                throw new ChatException(ChatError.NOT_IN_ROOM, "room " + room.name());
            }
            if (room.settings().has(RoomMode.TOPIC_LOCK) && !st.operator()) {
                throw new ChatException(ChatError.NOT_ROOM_OPERATOR, "topic of " + room.name() + " is locked (+t)");
            }
            Optional<RoomSettings.Topic> topic = text.isEmpty() ? Optional.empty()
                    : Optional.of(new RoomSettings.Topic(ChatMessage.requireText(text), client.nick(), core.clock.instant()));
            save(room, room.settings().withTopic(topic));
            core.fanout.publish(room.topic(), new ChatEvent.TopicChanged(room.name(), client.identity(), topic), null);
        } finally {
            room.lock.unlock();
        }
    }

    List<ModeChange> mode(Client client, String name, List<ModeChange> changes) {
        Room room = require(name);
        room.lock.lock();
        try {
            Room.Status st = room.status(client);
            if (st == null || !st.operator()) {
                throw new ChatException(ChatError.NOT_ROOM_OPERATOR, "modes of " + room.name());
            }
            List<ModeChange> applied = new ArrayList<>();
            RoomSettings s = room.settings();
            for (ModeChange c : changes) {
                s = apply(room, s, c, applied);
            }
            if (!s.equals(room.settings())) {
                save(room, s);
            }
            if (!applied.isEmpty()) {
                core.fanout.publish(room.topic(), new ChatEvent.ModeChanged(room.name(), client.identity(), applied), null);
            }
            return applied;
        } finally {
            room.lock.unlock();
        }
    }

    private RoomSettings apply(Room room, RoomSettings s, ModeChange c, List<ModeChange> applied) {
        switch (c.mode().kind()) {
            case FLAG -> {
                if (s.has(c.mode()) != c.add()) {
                    applied.add(c);
                    return s.withFlag(c.mode(), c.add());
                }
                return s;
            }
            case VALUE -> {
                return applyValue(s, c, applied);
            }
            case LIST -> {
                String mask = c.argument().orElseThrow(() -> new ChatException(ChatError.INVALID_REQUEST, "+b needs a mask"));
                if (mask.isEmpty() || mask.length() > 128 || mask.chars().anyMatch(ch -> ch <= ' ')) {
                    throw new ChatException(ChatError.INVALID_REQUEST, "ban mask '" + Names.printable(mask) + "'");
                }
                List<String> bans = new ArrayList<>(s.bans());
                boolean present = bans.stream().anyMatch(b -> Names.fold(b).equals(Names.fold(mask)));
                if (c.add() && !present) {
                    if (bans.size() >= RoomSettings.MAX_BANS) {
                        throw new ChatException(ChatError.INVALID_REQUEST, "ban list of " + room.name() + " is full");
                    }
                    bans.add(mask);
                } else if (!c.add() && present) {
                    bans.removeIf(b -> Names.fold(b).equals(Names.fold(mask)));
                } else {
                    return s;
                }
                applied.add(c);
                return s.withBans(bans);
            }
            case MEMBER -> {
                return applyMember(room, s, c, applied);
            }
        }
        throw new AssertionError(c.mode());
    }

    private static RoomSettings applyValue(RoomSettings s, ModeChange c, List<ModeChange> applied) {
        if (c.mode() == RoomMode.KEY) {
            if (!c.add()) {
                if (s.key().isEmpty()) {
                    return s;
                }
                applied.add(new ModeChange(false, RoomMode.KEY, Optional.of("*")));
                return s.withKey(Optional.empty());
            }
            String key = c.argument().orElseThrow(() -> new ChatException(ChatError.INVALID_REQUEST, "+k needs a key"));
            if (!key.matches("[\\x21-\\x7e&&[^,:]]{1,32}")) {
                throw new ChatException(ChatError.INVALID_REQUEST, "room key must be 1-32 printable ASCII characters without ',' or ':'");
            }
            applied.add(c);
            return s.withKey(Optional.of(key));
        }
        if (!c.add()) {
            if (s.limit().isEmpty()) {
                return s;
            }
            applied.add(c);
            return s.withLimit(OptionalInt.empty());
        }
        int limit;
        try {
            limit = Integer.parseInt(c.argument().orElse(""));
        } catch (NumberFormatException e) {
            throw new ChatException(ChatError.INVALID_REQUEST, "+l needs a number", e);
        }
        if (limit < 1) {
            throw new ChatException(ChatError.INVALID_REQUEST, "+l " + limit);
        }
        applied.add(new ModeChange(true, RoomMode.LIMIT, Optional.of(Integer.toString(limit))));
        return s.withLimit(OptionalInt.of(limit));
    }

    private RoomSettings applyMember(Room room, RoomSettings s, ModeChange c, List<ModeChange> applied) {
        String nick = c.argument().orElseThrow(() -> new ChatException(ChatError.INVALID_REQUEST, "+" + c.mode().letter() + " needs a nick"));
        Client target = core.client(nick).orElseThrow(() -> new ChatException(ChatError.NO_SUCH_NICK, "nick " + Names.printable(nick)));
        Room.Status old = room.status(target);
        if (old == null) {
            throw new ChatException(ChatError.TARGET_NOT_IN_ROOM, target.nick() + " in " + room.name());
        }
        boolean op = c.mode() == RoomMode.OPERATOR;
        Room.Status now = op ? new Room.Status(c.add(), old.voice()) : new Room.Status(old.operator(), c.add());
        if (now.equals(old)) {
            return s;
        }
        room.put(target, now);
        applied.add(new ModeChange(c.add(), c.mode(), Optional.of(target.nick())));
        if (op && target.account().isPresent()) {
            Set<String> ops = new HashSet<>(s.operators());
            String a = Names.fold(target.account().get());
            if (c.add() ? ops.add(a) : ops.remove(a)) {
                return s.withOperators(ops);
            }
        }
        return s;
    }

    void kick(Client client, String name, String nick, String reason) {
        Room room = require(name);
        room.lock.lock();
        try {
            Room.Status st = room.status(client);
            if (st == null) {
                throw new ChatException(ChatError.NOT_IN_ROOM, "room " + room.name());
            }
            if (!st.operator()) {
                throw new ChatException(ChatError.NOT_ROOM_OPERATOR, "kick in " + room.name());
            }
            Client victim = core.client(nick).orElseThrow(() -> new ChatException(ChatError.NO_SUCH_NICK, "nick " + Names.printable(nick)));
            if (room.status(victim) == null) {
                throw new ChatException(ChatError.TARGET_NOT_IN_ROOM, victim.nick() + " in " + room.name());
            }
            // Out of the room before anyone hears of it: a victim that answers the KICK at once
            // (PART, PRIVMSG) must already be a non-member.
            leave(victim, room);
            var kicked = new ChatEvent.Kicked(room.name(), client.identity(), victim.nick(), reason);
            core.fanout.publish(room.topic(), kicked, null);
            victim.sink().deliver(kicked);
        } finally {
            room.lock.unlock();
        }
    }

    void invite(Client client, String nick, String name) {
        Room room = require(name);
        Room.Status st = room.status(client);
        if (st == null) {
            throw new ChatException(ChatError.NOT_IN_ROOM, "room " + room.name());
        }
        if (room.settings().has(RoomMode.INVITE_ONLY) && !st.operator()) {
            throw new ChatException(ChatError.NOT_ROOM_OPERATOR, "invite to " + room.name() + " (+i)");
        }
        Client invitee = core.client(nick).orElseThrow(() -> new ChatException(ChatError.NO_SUCH_NICK, "nick " + Names.printable(nick)));
        if (room.status(invitee) != null) {
            throw new ChatException(ChatError.ALREADY_IN_ROOM, invitee.nick() + " in " + room.name());
        }
        room.invited().add(invitee.identity().nickKey());
        invitee.account().ifPresent(a -> room.invited().add(Names.fold(a)));
        invitee.sink().deliver(new ChatEvent.Invited(room.name(), client.identity(), invitee.nick()));
    }

    private void save(Room room, RoomSettings s) {
        core.store.saveRoom(s);
        room.settings(s);
    }
}
