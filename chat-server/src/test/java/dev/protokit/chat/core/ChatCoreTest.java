package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.ChatEvent.ModeChange;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ChatCoreTest {
    @TempDir
    Path dir;
    private SqliteChatStore store;
    private ChatCore core;
    private final List<Notified> notified = new CopyOnWriteArrayList<>();

    record Notified(String account, String text, OfflineNotifier.Reason reason) {}

    /** Records what a client is told. */
    static final class Inbox implements ClientSink {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }

        <T extends ChatEvent> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @BeforeEach
    void start() {
        store = SqliteChatStore.open(dir.resolve("chat.db"), List.of());
        for (String name : List.of("alice", "bob")) {
            store.addAccount(Account.create(name, Optional.of(name + "@example.org"), name.equals("alice"), Instant.now()),
                    new SharedKey(new KeyId(name), new byte[32]), Optional.empty());
        }
        core = newCore(ChatConfig.defaults("irc.test"));
    }

    private ChatCore newCore(ChatConfig config) {
        return new ChatCore(config, store, new LocalFanout(),
                (a, m, r) -> notified.add(new Notified(a.name(), m.text(), r)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    /** A core over {@code store} that notifies nobody, on the system clock. */
    static ChatCore quietCore(ChatStore store) {
        return new ChatCore(ChatConfig.defaults("irc.test"), store, new LocalFanout(), (a, m, r) -> { }, Clock.systemUTC());
    }

    /** A connecting client's identity: a guest when {@code account} is null. */
    static Identity id(String nick, String account) {
        return new Identity(nick, "u", "127.0.0.1", nick, Optional.ofNullable(account));
    }

    private static void refused(ChatError error, Executable action) {
        assertEquals(error, assertThrows(ChatException.class, action).error());
    }

    @Test
    void roomMessagesReachOtherMembersAndAreStoredFirst() {
        var a = new Inbox();
        var b = new Inbox();
        Client alice = core.connect(id("alice", "alice"), a);
        Client guest = core.connect(id("guest", null), b);
        alice.join("General", Optional.empty());
        guest.join("general", Optional.empty());
        ChatEvent.Said said = alice.sayToRoom("GENERAL", MessageKind.MESSAGE, "hello all");
        assertEquals("General", said.target());
        assertEquals(List.of("hello all"), b.of(ChatEvent.Said.class).stream().map(s -> s.message().text()).toList());
        assertTrue(a.of(ChatEvent.Said.class).isEmpty(), "the sender's own copy is the listener's echo-message business");
        assertEquals(said.message().id(), store.history(new Conversation.Room("general"), new HistoryQuery.Latest(1)).getFirst().id());
        assertEquals(2, a.of(ChatEvent.Joined.class).size(), "the founder sees both joins");
        assertEquals(1, b.of(ChatEvent.Joined.class).size(), "the second member sees its own");
        assertTrue(core.room("general").orElseThrow().status(alice).operator(), "the founder is a room operator");
        assertFalse(core.room("general").orElseThrow().status(guest).operator());
    }

    @Test
    void modesAreEnforcedAndPersisted() {
        Client alice = core.connect(id("alice", "alice"), new Inbox());
        Client guest = core.connect(id("guest", null), new Inbox());
        alice.join("ops", Optional.empty());
        refused(ChatError.CANNOT_SEND, () -> guest.sayToRoom("ops", MessageKind.MESSAGE, "from outside"));
        alice.mode("ops", List.of(new ModeChange(true, RoomMode.INVITE_ONLY, Optional.empty())));
        refused(ChatError.INVITE_ONLY, () -> guest.join("ops", Optional.empty()));
        alice.invite("guest", "ops");
        guest.join("ops", Optional.empty());
        guest.part("ops", Optional.empty());
        refused(ChatError.INVITE_ONLY, () -> guest.join("ops", Optional.empty()));
        alice.mode("ops", List.of(new ModeChange(false, RoomMode.INVITE_ONLY, Optional.empty()),
                new ModeChange(true, RoomMode.KEY, Optional.of("k3y")), new ModeChange(true, RoomMode.LIMIT, Optional.of("2"))));
        refused(ChatError.BAD_KEY, () -> guest.join("ops", Optional.of("nope")));
        guest.join("ops", Optional.of("k3y"));
        Client third = core.connect(id("third", null), new Inbox());
        refused(ChatError.ROOM_FULL, () -> third.join("ops", Optional.of("k3y")));
        refused(ChatError.NOT_ROOM_OPERATOR, () -> guest.topic("ops", "mine now"));
        refused(ChatError.NOT_ROOM_OPERATOR, () -> guest.kick("ops", "alice", "bye"));
        alice.mode("ops", List.of(new ModeChange(true, RoomMode.MODERATED, Optional.empty())));
        refused(ChatError.CANNOT_SEND, () -> guest.sayToRoom("ops", MessageKind.MESSAGE, "quiet?"));
        alice.mode("ops", List.of(new ModeChange(true, RoomMode.VOICE, Optional.of("guest"))));
        guest.sayToRoom("ops", MessageKind.MESSAGE, "voiced");
        alice.mode("ops", List.of(new ModeChange(true, RoomMode.BAN, Optional.of("third!*@*"))));
        alice.mode("ops", List.of(new ModeChange(false, RoomMode.LIMIT, Optional.empty())));
        refused(ChatError.BANNED, () -> third.join("ops", Optional.of("k3y")));
        alice.kick("ops", "guest", "out");
        assertTrue(core.room("ops").orElseThrow().status(guest) == null);
        alice.topic("ops", "kept");

        // A new core over the same store (a restart) has the settings.
        ChatCore again = newCore(ChatConfig.defaults("irc.test"));
        RoomSettings s = again.room("ops").orElseThrow().settings();
        assertEquals(Optional.of("k3y"), s.key());
        assertTrue(s.has(RoomMode.MODERATED));
        assertEquals(List.of("third!*@*"), s.bans());
        assertEquals("kept", s.topic().orElseThrow().text());
        assertEquals(java.util.Set.of("alice"), s.operators());
    }

    @Test
    void offlineDirectMessagesArriveInOrderOnceAndNotify() {
        Client alice = core.connect(id("alice", "alice"), new Inbox());
        alice.sayTo("bob", MessageKind.MESSAGE, "one");
        alice.sayTo("BOB", MessageKind.MESSAGE, "two");
        assertEquals(List.of(new Notified("bob", "one", OfflineNotifier.Reason.DIRECT),
                new Notified("bob", "two", OfflineNotifier.Reason.DIRECT)), notified);
        var first = new Inbox();
        Client bob = core.connect(id("bob", "bob"), first);
        List<ChatEvent.Said> got = first.of(ChatEvent.Said.class);
        assertEquals(List.of("one", "two"), got.stream().map(s -> s.message().text()).toList());
        assertTrue(got.stream().allMatch(ChatEvent.Said::replay));
        bob.quit("bye");
        var second = new Inbox();
        core.connect(id("bob", "bob"), second);
        assertTrue(second.of(ChatEvent.Said.class).isEmpty(), "delivered once");
        assertTrue(store.account("bob").orElseThrow().lastSeen().isPresent());
        List<ChatMessage> dmHistory = store.history(new Conversation.Direct("bob", "alice"), new HistoryQuery.Latest(10));
        assertEquals(2, dmHistory.size());
    }

    @Test
    void mentionsOfOfflineAccountsNotify() {
        Client guest = core.connect(id("guest", null), new Inbox());
        guest.join("general", Optional.empty());
        guest.sayToRoom("general", MessageKind.MESSAGE, "ping Bob, are you there?");
        assertEquals(List.of(new Notified("bob", "ping Bob, are you there?", OfflineNotifier.Reason.MENTION)), notified);
    }

    @Test
    void registeredNicksAreProtectedAndGuestsCanBeRefused() {
        refused(ChatError.NICK_REGISTERED, () -> core.connect(id("Alice", null), new Inbox()));
        Client guest = core.connect(id("guest", null), new Inbox());
        refused(ChatError.NICK_REGISTERED, () -> guest.changeNick("BOB"));
        refused(ChatError.BAD_NAME, () -> guest.changeNick("9lives"));
        core.connect(id("taken", null), new Inbox());
        refused(ChatError.NICK_IN_USE, () -> guest.changeNick("TAKEN"));
        guest.changeNick("Guest");
        assertEquals("Guest", core.client("guest").orElseThrow().nick());
        ChatCore strict = newCore(new ChatConfig("irc.test", false, ChatConfig.RoomCreation.OPERATORS, 50, java.time.Duration.ZERO));
        refused(ChatError.GUESTS_REFUSED, () -> strict.connect(id("other", null), new Inbox()));
        Client bob = strict.connect(id("bob", "bob"), new Inbox());
        refused(ChatError.ROOM_CREATION_RESTRICTED, () -> bob.join("newroom", Optional.empty()));
        refused(ChatError.NOT_SERVER_OPERATOR, bob::becomeOperator);
    }

    @Test
    void quitReachesEachSharedMemberOnceAndWhowasRemembers() {
        var b = new Inbox();
        Client alice = core.connect(id("alice", "alice"), new Inbox());
        Client guest = core.connect(id("guest", null), b);
        for (String room : List.of("one", "two", "three")) {
            alice.join(room, Optional.empty());
            guest.join(room, Optional.empty());
        }
        alice.setAway(Optional.of("lunch"));
        assertEquals(1, b.of(ChatEvent.AwayChanged.class).size());
        assertEquals(Presence.AWAY, core.presence("alice"));
        alice.quit("gone");
        alice.quit("twice is harmless");
        assertEquals(1, b.of(ChatEvent.Quit.class).size());
        assertEquals(Presence.OFFLINE, core.presence("alice"));
        assertEquals("alice", core.whowas("ALICE").getFirst().identity().nick());
        assertTrue(core.client("alice").isEmpty());
        assertEquals(1, core.room("one").orElseThrow().size());
    }

    @Test
    void operatorsKillAndEveryoneElseIsRefused() {
        var victimInbox = new Inbox();
        Client alice = core.connect(id("alice", "alice"), new Inbox());
        Client guest = core.connect(id("guest", null), victimInbox);
        refused(ChatError.NOT_SERVER_OPERATOR, () -> guest.kill("alice", "no"));
        alice.becomeOperator();
        alice.kill("guest", "spam");
        assertEquals("Killed (alice (spam))", victimInbox.of(ChatEvent.Closing.class).getFirst().reason());
        assertTrue(core.client("guest").isEmpty());
    }

    @Test
    void textWithLineBreaksOrNulIsRefused() {
        Client guest = core.connect(id("guest", null), new Inbox());
        guest.join("general", Optional.empty());
        for (String bad : List.of("a\r\nPRIVMSG #x :smuggled", "a\nb", "nul\u0000", "")) {
            refused(ChatError.INVALID_REQUEST, () -> guest.sayToRoom("general", MessageKind.MESSAGE, bad));
        }
        refused(ChatError.NO_SUCH_NICK, () -> guest.sayTo("nobody", MessageKind.MESSAGE, "hi"));
        refused(ChatError.NO_SUCH_ROOM, () -> guest.sayToRoom("nowhere", MessageKind.MESSAGE, "hi"));
        refused(ChatError.ACCOUNT_REQUIRED, () -> guest.history(new Conversation.Direct("guest", "alice"), new HistoryQuery.Latest(5)));
    }
}
