package dev.protokit.chat.core;

import static dev.protokit.chat.core.ChatCoreTest.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.protokit.chat.core.ChatCoreTest.Inbox;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's KILL racing the victim's own requests (lines its session thread had read and
 * goes on running while the operator's thread quits it). A JOIN: whichever wins, the victim must
 * not stay in the room, must get nothing from it, and no member may be left believing it is
 * there (a JOIN after its QUIT). Any other request: none may take effect after the QUIT (no
 * message from a client that has quit, no nick held by it, no room changed by it).
 */
class KillRaceTest {
    private static final int ROUNDS = 3000;
    private static final int RENAME_ROUNDS = 2000;

    @TempDir
    Path dir;
    private SqliteChatStore store;
    private ChatCore core;

    @BeforeEach
    void start() {
        store = SqliteChatStore.open(dir.resolve("chat.db"), List.of());
        store.addAccount(Account.create("alice", Optional.empty(), true, Instant.now()),
                new SharedKey(new KeyId("alice"), new byte[32]), Optional.empty());
        core = ChatCoreTest.quietCore(store);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aClientKilledWhileItJoinsIsNeverLeftInTheRoom() throws Exception {
        Client oper = connectOperator();
        var memberSaw = new Inbox();
        Client member = core.connect(id("member", null), memberSaw);
        member.join("race", Optional.empty());
        Room room = core.room("race").orElseThrow();
        List<Inbox> victims = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String nick = "victim" + i;
            var victimSaw = new Inbox();
            victims.add(victimSaw);
            Client victim = core.connect(id(nick, null), victimSaw);
            var go = new CyclicBarrier(2);
            Thread joiner = Thread.ofPlatform().start(() -> {
                await(go);
                try {
                    victim.join("race", Optional.empty());
                } catch (ChatException refusedOnceKilled) {
                    // the kill won: a refusal is the right answer
                }
            });
            await(go);
            oper.kill(nick, "race");
            joiner.join();
            int round = i;
            assertFalse(room.members().keySet().stream().anyMatch(c -> c.nick().equals(nick)),
                    () -> "round " + round + ": NAMES still lists the killed " + nick);
            assertFalse(victim.rooms().contains(room), () -> "round " + round + ": " + nick + " still thinks it is in the room");
            assertFalse(lastWordAbout(nick, memberSaw) instanceof ChatEvent.Joined,
                    () -> "round " + round + ": a member saw " + nick + " join after it quit");
        }
        assertEquals(1, room.size(), "only the member is left");
        member.sayToRoom("race", MessageKind.MESSAGE, "after the kills");
        for (int i = 0; i < victims.size(); i++) {
            assertTrue(victims.get(i).of(ChatEvent.Said.class).isEmpty(), "victim" + i + " got a room message after its kill");
        }
    }

    @Test
    void everyRequestAfterTheKillIsRefused() {
        Client oper = connectOperator();
        var bobSaw = new Inbox();
        core.connect(id("bob", null), bobSaw);
        core.connect(id("victim", null), new Inbox()).join("open", Optional.empty());
        Client victim = core.client("victim").orElseThrow();
        oper.kill("victim", "spam");

        assertThrows(ChatException.class, () -> victim.sayTo("bob", MessageKind.MESSAGE, "after my kill"));
        assertThrows(ChatException.class, () -> victim.sayToRoom("open", MessageKind.MESSAGE, "after my kill"));
        assertThrows(ChatException.class, () -> victim.changeNick("ghost"));
        assertThrows(ChatException.class, () -> victim.topic("open", "mine"));
        assertThrows(ChatException.class, () -> victim.setAway(Optional.of("gone")));
        assertTrue(bobSaw.of(ChatEvent.Said.class).isEmpty(), "bob got a direct message from a killed client");
        assertTrue(core.client("ghost").isEmpty(), "a killed client took the nick ghost");
        assertTrue(core.client("victim").isEmpty(), "the killed nick is still held");
    }

    @Test
    void aKilledOperatorsKillAndOperReadBeforeItsQuitAreRefused() {
        Client first = connectOperator();
        Client second = core.connect(id("alice2", "alice"), new Inbox());
        second.becomeOperator();
        core.connect(id("bob", null), new Inbox());
        second.kill("alice", "enough");

        assertThrows(ChatException.class, () -> first.kill("bob", "after my own kill"));
        assertTrue(core.client("bob").isPresent(), "a killed operator's KILL took effect after its QUIT");
        assertThrows(ChatException.class, first::becomeOperator);
    }

    @Test
    void aNickChangeRacingTheKillNeverLeavesTheNewNickHeld() throws Exception {
        Client oper = connectOperator();
        for (int i = 0; i < RENAME_ROUNDS; i++) {
            String nick = "victim" + i;
            String renamed = "renamed" + i;
            Client victim = core.connect(id(nick, null), new Inbox());
            var go = new CyclicBarrier(2);
            Thread renamer = Thread.ofPlatform().start(() -> {
                await(go);
                try {
                    victim.changeNick(renamed);
                } catch (ChatException refusedOnceKilled) {
                    // the kill won: a refusal is the right answer
                }
            });
            await(go);
            try {
                oper.kill(nick, "race");
            } catch (ChatException renamedFirst) {
                oper.kill(renamed, "race");
            }
            renamer.join();
            int round = i;
            assertTrue(core.client(renamed).isEmpty(), () -> "round " + round + ": " + renamed + " is held by a killed client");
            assertTrue(core.client(nick).isEmpty(), () -> "round " + round + ": " + nick + " is held by a killed client");
        }
        assertEquals(1, core.clients().size(), "only the operator is left");
    }

    private Client connectOperator() {
        Client oper = core.connect(id("alice", "alice"), new Inbox());
        oper.becomeOperator();
        return oper;
    }

    /** The last JOIN or QUIT the member was told about {@code nick}, or null. */
    private static ChatEvent lastWordAbout(String nick, Inbox inbox) {
        ChatEvent last = null;
        for (ChatEvent e : inbox.events) {
            switch (e) {
                case ChatEvent.Joined j when j.who().nick().equals(nick) -> last = j;
                case ChatEvent.Quit q when q.who().nick().equals(nick) -> last = q;
                default -> { }
            }
        }
        return last;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            fail(e);
        }
    }
}
