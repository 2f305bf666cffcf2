package dev.protokit.chat.wire;

import static dev.protokit.chat.wire.WireFixtures.header;
import static dev.protokit.chat.wire.WireFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.chat.wire.Conversation.Room;
import dev.protokit.chat.wire.Conversation.With;
import dev.protokit.chat.wire.ServerMessage.Ack;
import dev.protokit.chat.wire.ServerMessage.Bye;
import dev.protokit.chat.wire.ServerMessage.Direct;
import dev.protokit.chat.wire.ServerMessage.Error;
import dev.protokit.chat.wire.ServerMessage.File;
import dev.protokit.chat.wire.ServerMessage.HistoryPage;
import dev.protokit.chat.wire.ServerMessage.IsTyping;
import dev.protokit.chat.wire.ServerMessage.Joined;
import dev.protokit.chat.wire.ServerMessage.Member;
import dev.protokit.chat.wire.ServerMessage.Notice;
import dev.protokit.chat.wire.ServerMessage.Parted;
import dev.protokit.chat.wire.ServerMessage.Pong;
import dev.protokit.chat.wire.ServerMessage.Posted;
import dev.protokit.chat.wire.ServerMessage.Presence;
import dev.protokit.chat.wire.ServerMessage.Topic;
import dev.protokit.chat.wire.ServerMessage.Welcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every server message, field by field, and back; times always carry three fraction digits. */
class ServerCodecTest {
    private static final Instant T = Instant.parse("2026-12-01T19:31:22.120Z");
    private static final Instant T0 = Instant.parse("2026-12-01T19:31:22Z");
    private static final String TS = "\"2026-12-01T19:31:22.120Z\"";
    private static final AttachmentInfo FILE = new AttachmentInfo("q3Vt0Zk2c8r1Hcq7vLxw9A", "notes.txt", "text/plain", 5);
    private static final String FILE_JSON = "{\"id\":\"q3Vt0Zk2c8r1Hcq7vLxw9A\",\"name\":\"notes.txt\","
            + "\"media_type\":\"text/plain\",\"size\":5}";

    static Stream<Arguments> serverMessages() {
        Posted posted = new Posted(41, T, "alice", "general", "hi all", false, Optional.empty());
        Direct direct = new Direct(42, T, "alice", "bob", "see file", false, Optional.of(FILE));
        return Stream.of(
            Arguments.of(new Welcome("alice", "chat.example", true, T0, 16777216),
                    "{\"type\":\"welcome\",\"account\":\"alice\",\"server\":\"chat.example\",\"operator\":true,"
                            + "\"time\":\"2026-12-01T19:31:22.000Z\",\"max_attachment\":16777216,\"bodyLength\":0}"),
            Arguments.of(new Ack(Optional.of("c1"), OptionalLong.of(41), T),
                    "{\"type\":\"ack\",\"ref\":\"c1\",\"id\":41,\"time\":" + TS + ",\"bodyLength\":0}"),
            Arguments.of(new Error(ErrorCode.NOT_MEMBER, "say: not a member of general", Optional.of("c1")),
                    "{\"type\":\"error\",\"code\":\"not-member\",\"text\":\"say: not a member of general\","
                            + "\"ref\":\"c1\",\"bodyLength\":0}"),
            Arguments.of(new ServerMessage.Room("general", Optional.of("Friday"), List.of(
                    new Member("alice", PresenceState.ONLINE, true, Optional.empty()),
                    new Member("bob", PresenceState.AWAY, false, Optional.of("lunch")))),
                    "{\"type\":\"room\",\"room\":\"general\",\"topic\":\"Friday\",\"members\":["
                            + "{\"account\":\"alice\",\"state\":\"online\",\"operator\":true},"
                            + "{\"account\":\"bob\",\"state\":\"away\",\"away\":\"lunch\"}],\"bodyLength\":0}"),
            Arguments.of(new Joined("general", "bob", T),
                    "{\"type\":\"joined\",\"room\":\"general\",\"account\":\"bob\",\"time\":" + TS + ",\"bodyLength\":0}"),
            Arguments.of(new Parted("general", "mallory", Optional.of("spam"), Optional.of("alice"), T),
                    "{\"type\":\"parted\",\"room\":\"general\",\"account\":\"mallory\",\"reason\":\"spam\","
                            + "\"by\":\"alice\",\"time\":" + TS + ",\"bodyLength\":0}"),
            Arguments.of(posted, "{\"type\":\"message\",\"id\":41,\"time\":" + TS + ",\"from\":\"alice\","
                    + "\"room\":\"general\",\"text\":\"hi all\",\"bodyLength\":0}"),
            Arguments.of(direct, "{\"type\":\"direct\",\"id\":42,\"time\":" + TS + ",\"from\":\"alice\","
                    + "\"to\":\"bob\",\"text\":\"see file\",\"attachment\":" + FILE_JSON + ",\"bodyLength\":0}"),
            Arguments.of(new Topic("general", "Friday", "alice", T),
                    "{\"type\":\"topic\",\"room\":\"general\",\"topic\":\"Friday\",\"by\":\"alice\",\"time\":" + TS
                            + ",\"bodyLength\":0}"),
            Arguments.of(new Presence("bob", PresenceState.OFFLINE, Optional.empty(), Optional.of(T)),
                    "{\"type\":\"presence\",\"account\":\"bob\",\"state\":\"offline\",\"last_seen\":" + TS
                            + ",\"bodyLength\":0}"),
            Arguments.of(new IsTyping("alice", new With("alice"), true),
                    "{\"type\":\"is-typing\",\"from\":\"alice\",\"with\":\"alice\",\"active\":true,\"bodyLength\":0}"),
            Arguments.of(new HistoryPage(new Room("general"), List.of(posted), true),
                    "{\"type\":\"history-page\",\"room\":\"general\",\"messages\":[{\"type\":\"message\",\"id\":41,"
                            + "\"time\":" + TS + ",\"from\":\"alice\",\"room\":\"general\",\"text\":\"hi all\"}],"
                            + "\"more\":true,\"bodyLength\":0}"),
            Arguments.of(new File(Optional.of("g"), FILE),
                    "{\"type\":\"file\",\"ref\":\"g\",\"attachment\":" + FILE_JSON + ",\"bodyLength\":5}"),
            Arguments.of(new Pong(Optional.empty()), "{\"type\":\"pong\",\"bodyLength\":0}"),
            Arguments.of(new Notice("killed by alice"), "{\"type\":\"notice\",\"text\":\"killed by alice\",\"bodyLength\":0}"),
            Arguments.of(new Bye("SendQ exceeded"), "{\"type\":\"bye\",\"reason\":\"SendQ exceeded\",\"bodyLength\":0}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("serverMessages")
    void serverMessageEncodesFieldByFieldAndDecodesBack(ServerMessage message, String expected) {
        assertEquals(expected, json(message));
        assertEquals(message, ChatCodec.decodeServer(header(expected)));
    }

    @Test
    void fileSizeMustEqualTheBodyLength() {
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeServer(header(
                "{\"type\":\"file\",\"attachment\":" + FILE_JSON + ",\"bodyLength\":6}")));
        assertEquals("MALFORMED file: size 0x5 differs from bodyLength 0x6", e.getMessage());
    }

    @Test
    void historyPageRefusesOtherTypesInside() {
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeServer(header(
                "{\"type\":\"history-page\",\"room\":\"general\",\"messages\":[{\"type\":\"bye\",\"reason\":\"x\"}]}")));
        assertEquals("MALFORMED history-page: messages[] holds a type other than message and direct", e.getMessage());
    }

    @Test
    void clientTypesAreRefusedFromTheServer() {
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeServer(header(
                "{\"type\":\"say\",\"room\":\"general\",\"text\":\"hi\"}")));
        assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
        assertEquals("UNKNOWN_TYPE type \"say\" is sent by a client, not the server", e.getMessage());
    }
}
