package dev.protokit.chat.wire;

import static dev.protokit.chat.wire.WireFixtures.header;
import static dev.protokit.chat.wire.WireFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.chat.wire.ClientMessage.Attach;
import dev.protokit.chat.wire.ClientMessage.Away;
import dev.protokit.chat.wire.ClientMessage.Dm;
import dev.protokit.chat.wire.ClientMessage.Get;
import dev.protokit.chat.wire.ClientMessage.History;
import dev.protokit.chat.wire.ClientMessage.Join;
import dev.protokit.chat.wire.ClientMessage.Operator;
import dev.protokit.chat.wire.ClientMessage.Part;
import dev.protokit.chat.wire.ClientMessage.Ping;
import dev.protokit.chat.wire.ClientMessage.Quit;
import dev.protokit.chat.wire.ClientMessage.Say;
import dev.protokit.chat.wire.ClientMessage.SetTopic;
import dev.protokit.chat.wire.ClientMessage.Typing;
import dev.protokit.chat.wire.ClientMessage.Who;
import dev.protokit.chat.wire.Conversation.Room;
import dev.protokit.chat.wire.Conversation.With;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client message, field by field: the exact JSON header it encodes to (bodyLength added
 * by the frame layer) and back. Server messages are in {@link ServerCodecTest}.
 */
class ChatCodecTest {
    static Stream<Arguments> clientMessages() {
        return Stream.of(
            Arguments.of(new Join("general", Optional.empty()),
                    "{\"type\":\"join\",\"room\":\"general\",\"bodyLength\":0}"),
            Arguments.of(new Join("ops", Optional.of("s3cret")),
                    "{\"type\":\"join\",\"room\":\"ops\",\"key\":\"s3cret\",\"bodyLength\":0}"),
            Arguments.of(new Part("general", Optional.of("bye now")),
                    "{\"type\":\"part\",\"room\":\"general\",\"reason\":\"bye now\",\"bodyLength\":0}"),
            Arguments.of(new Say(Optional.of("c1"), "general", "héllo ☕", false),
                    "{\"type\":\"say\",\"ref\":\"c1\",\"room\":\"general\",\"text\":\"héllo ☕\",\"bodyLength\":0}"),
            Arguments.of(new Say(Optional.empty(), "general", "waves", true),
                    "{\"type\":\"say\",\"room\":\"general\",\"text\":\"waves\",\"action\":true,\"bodyLength\":0}"),
            Arguments.of(new Dm(Optional.of("c2"), "bob", "psst", false),
                    "{\"type\":\"dm\",\"ref\":\"c2\",\"to\":\"bob\",\"text\":\"psst\",\"bodyLength\":0}"),
            Arguments.of(new SetTopic(Optional.of("t"), "general", "Release on Friday"),
                    "{\"type\":\"set-topic\",\"ref\":\"t\",\"room\":\"general\",\"topic\":\"Release on Friday\",\"bodyLength\":0}"),
            Arguments.of(new Away(Optional.of("lunch")), "{\"type\":\"away\",\"message\":\"lunch\",\"bodyLength\":0}"),
            Arguments.of(new Away(Optional.empty()), "{\"type\":\"away\",\"bodyLength\":0}"),
            Arguments.of(new Typing(new Room("general"), true),
                    "{\"type\":\"typing\",\"room\":\"general\",\"active\":true,\"bodyLength\":0}"),
            Arguments.of(new Typing(new With("bob"), false),
                    "{\"type\":\"typing\",\"with\":\"bob\",\"active\":false,\"bodyLength\":0}"),
            Arguments.of(new Who("general"), "{\"type\":\"who\",\"room\":\"general\",\"bodyLength\":0}"),
            Arguments.of(new History(new Room("general"), OptionalLong.of(120), OptionalLong.empty(), 50),
                    "{\"type\":\"history\",\"room\":\"general\",\"before\":120,\"limit\":50,\"bodyLength\":0}"),
            Arguments.of(new History(new With("bob"), OptionalLong.empty(), OptionalLong.of(7), 100),
                    "{\"type\":\"history\",\"with\":\"bob\",\"after\":7,\"limit\":100,\"bodyLength\":0}"),
            Arguments.of(new Attach(Optional.of("f1"), new Room("general"), "notes.txt", "text/plain", 5),
                    "{\"type\":\"attach\",\"ref\":\"f1\",\"room\":\"general\",\"name\":\"notes.txt\","
                            + "\"media_type\":\"text/plain\",\"bodyLength\":5}"),
            Arguments.of(new Get(Optional.empty(), "q3Vt0Zk2c8r1Hcq7vLxw9A"),
                    "{\"type\":\"get\",\"attachment\":\"q3Vt0Zk2c8r1Hcq7vLxw9A\",\"bodyLength\":0}"),
            Arguments.of(new Operator(Optional.of("o"), OperatorCommand.KICK, Optional.of("general"), "mallory",
                    Optional.of("spam")), "{\"type\":\"op\",\"ref\":\"o\",\"command\":\"kick\",\"room\":\"general\","
                            + "\"target\":\"mallory\",\"reason\":\"spam\",\"bodyLength\":0}"),
            Arguments.of(new Operator(Optional.empty(), OperatorCommand.KILL, Optional.empty(), "mallory",
                    Optional.empty()), "{\"type\":\"op\",\"command\":\"kill\",\"target\":\"mallory\",\"bodyLength\":0}"),
            Arguments.of(new Ping(Optional.of("p9")), "{\"type\":\"ping\",\"ref\":\"p9\",\"bodyLength\":0}"),
            Arguments.of(new Quit(Optional.of("gone")), "{\"type\":\"quit\",\"reason\":\"gone\",\"bodyLength\":0}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("clientMessages")
    void clientMessageEncodesFieldByFieldAndDecodesBack(ClientMessage message, String expected) {
        assertEquals(expected, json(message));
        assertEquals(message, ChatCodec.decodeClient(header(expected)));
        assertEquals(message, ChatCodec.decodeClient(WireFixtures.parseHead(WireFixtures.head(message))));
    }

    @Test
    void fieldOrderAndUnknownFieldsDoNotMatter() {
        assertEquals(new Say(Optional.empty(), "general", "hi", false), ChatCodec.decodeClient(header(
                "{\"text\":\"hi\",\"x-new\":[1,2],\"room\":\"general\",\"type\":\"say\"}")));
    }

    @Test
    void nullMeansAbsentForOptionalFields() {
        assertEquals(new Part("general", Optional.empty()), ChatCodec.decodeClient(header(
                "{\"type\":\"part\",\"room\":\"general\",\"reason\":null}")));
    }

    @Test
    void historyLimitDefaultsToFifty() {
        assertEquals(new History(new Room("general"), OptionalLong.empty(), OptionalLong.empty(), 50),
                ChatCodec.decodeClient(header("{\"type\":\"history\",\"room\":\"general\"}")));
    }

    @Test
    void emptyAwayMessageMeansBack() {
        assertEquals(new Away(Optional.empty()), ChatCodec.decodeClient(header("{\"type\":\"away\",\"message\":\"\"}")));
    }

    @Test
    void attachSizeIsTheFrameBodyLength() {
        var attach = (Attach) ChatCodec.decodeClient(header(
                "{\"type\":\"attach\",\"with\":\"bob\",\"name\":\"a.bin\",\"media_type\":\"application/octet-stream\",\"bodyLength\":1048576}"));
        assertEquals(1048576, attach.size());
        assertEquals(new With("bob"), attach.conversation());
        assertEquals(1048576, ChatCodec.bodyLength(attach));
    }
}
