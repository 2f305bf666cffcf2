package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.chat.core.ChatCoreTest.Inbox;
import dev.protokit.chat.core.ChatEvent.ModeChange;
import dev.protokit.chat.store.SqliteChatStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A room's roster (what NAMES lists): appended to by joins, dropped and rebuilt after any other change. */
class RosterTest {
    @TempDir
    Path dir;
    private SqliteChatStore store;
    private ChatCore core;

    @BeforeEach
    void start() {
        store = SqliteChatStore.open(dir.resolve("chat.db"), List.of());
        core = ChatCoreTest.quietCore(store);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private Client connect(String nick) {
        return core.connect(ChatCoreTest.id(nick, null), new Inbox());
    }

    private static List<String> names(Roster r) {
        return IntStream.range(0, r.size()).mapToObj(i -> (r.operator(i) ? "@" : "") + (r.voice(i) ? "+" : "") + r.nick(i)).toList();
    }

    /** What the member map says now, in the roster's notation, sorted. */
    private static Set<String> members(Room room) {
        return room.members().entrySet().stream().map(e -> (e.getValue().operator() ? "@" : "") + (e.getValue().voice() ? "+" : "")
                + e.getKey().nick()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void joinsAppendInJoinOrderAndAnOlderSnapshotNeverChanges() {
        Client ann = connect("ann");
        Room room = ann.join("r", Optional.empty());
        Roster before = room.roster();
        connect("bob").join("r", Optional.empty());
        connect("cy").join("r", Optional.empty());
        assertEquals(List.of("@ann"), names(before));
        assertEquals(List.of("@ann", "bob", "cy"), names(room.roster()));
    }

    @Test
    void appendingToAnOlderSnapshotCopiesInsteadOfOverwritingTheNewerOne() {
        Roster empty = Roster.of(Map.of());
        Roster one = empty.plus("ann", new Room.Status(true, false));
        Roster two = one.plus("bob", new Room.Status(false, false));
        Roster other = one.plus("carol", new Room.Status(false, true));
        assertEquals(List.of("@ann", "bob"), names(two));
        assertEquals(List.of("@ann", "+carol"), names(other));
        assertEquals(List.of("@ann"), names(one));
        assertEquals(List.of(), names(empty));
    }

    @Test
    void growsPastItsFirstArrays() {
        Roster r = Roster.of(Map.of());
        var expected = new ArrayList<String>();
        for (int i = 0; i < 1000; i++) {
            r = r.plus("nick" + i, new Room.Status(false, i % 3 == 0));
            expected.add((i % 3 == 0 ? "+" : "") + "nick" + i);
        }
        assertEquals(expected, names(r));
        byte[] to = new byte[16];
        assertEquals(2 + 7, r.copyNick(999, to, 2));
        assertEquals("nick999", new String(to, 2, 7, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(7, r.nickLength(999));
    }

    @Test
    void aPartKickOrQuitTakesTheMemberOut() {
        Client ann = connect("ann");
        Room room = ann.join("r", Optional.empty());
        Client bob = connect("bob");
        Client cy = connect("cy");
        Client dee = connect("dee");
        for (Client c : List.of(bob, cy, dee)) {
            c.join("r", Optional.empty());
        }
        assertEquals(4, room.roster().size());
        bob.part("r", Optional.empty());
        assertEquals(Set.of("@ann", "cy", "dee"), Set.copyOf(names(room.roster())));
        ann.kick("r", "cy", "out");
        assertEquals(Set.of("@ann", "dee"), Set.copyOf(names(room.roster())));
        dee.quit("bye");
        assertEquals(List.of("@ann"), names(room.roster()));
    }

    @Test
    void statusAndNickChangesShowInTheNextRoster() {
        Client ann = connect("ann");
        Room room = ann.join("r", Optional.empty());
        Client bob = connect("bob");
        bob.join("r", Optional.empty());
        Roster seen = room.roster();
        ann.mode("r", List.of(new ModeChange(true, RoomMode.VOICE, Optional.of("bob"))));
        assertEquals(Set.of("@ann", "+bob"), Set.copyOf(names(room.roster())));
        ann.mode("r", List.of(new ModeChange(true, RoomMode.OPERATOR, Optional.of("bob")),
                new ModeChange(false, RoomMode.OPERATOR, Optional.of("ann"))));
        assertEquals(Set.of("ann", "@+bob"), Set.copyOf(names(room.roster())));
        bob.changeNick("Robert");
        assertEquals(Set.of("ann", "@+Robert"), Set.copyOf(names(room.roster())));
        connect("cy").join("r", Optional.empty());
        assertEquals(Set.of("ann", "@+Robert", "cy"), Set.copyOf(names(room.roster())));
        assertEquals(Set.of("@ann", "bob"), Set.copyOf(names(seen)), "a snapshot taken earlier is left as it was");
    }

    @Test
    void concurrentJoinsPartsNickChangesAndReadersEndInTheMemberMap() throws Exception {
        Client ann = connect("ann");
        Room room = ann.join("race", Optional.empty());
        int threads = 6;
        var barrier = new CyclicBarrier(threads + 1);
        var errors = ConcurrentHashMap.<Throwable>newKeySet();
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    Client c = connect("w" + id);
                    barrier.await();
                    for (int i = 0; i < 300; i++) {
                        c.join("race", Optional.empty());
                        room.roster();
                        if (i % 3 == 0) {
                            c.changeNick("w" + id + (i % 2 == 0 ? "a" : "b"));
                        }
                        if (i % 2 == 0) {
                            c.part("race", Optional.empty());
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        barrier.await();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(Set.of(), errors);
        List<String> listed = names(room.roster());
        assertEquals(members(room), new TreeSet<>(listed));
        assertEquals(listed.size(), Set.copyOf(listed).size(), "nobody listed twice: " + listed);
    }
}
