package dev.protokit.chat.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IrcCodecTest {

    @Test
    void parsesTagsSourceCommandMiddleAndTrailing() {
        //        tags: id=123, a flag, an escaped value          source          command  middle  trailing
        IrcMessage m = IrcCodec.parse("@id=123;+draft/flag;msg=a\\sb\\:c\\\\d\\r\\ne :nick!u@h PRIVMSG #chan :hello  world :)");
        assertEquals(Map.of("id", "123", "+draft/flag", "", "msg", "a b;c\\d\r\ne"), m.tags());
        assertEquals(Optional.of("nick!u@h"), m.source());
        assertEquals("PRIVMSG", m.command());
        assertEquals(List.of("#chan", "hello  world :)"), m.params());
    }

    @Test
    void toleratesExtraSpacesAndLowerCaseCommands() {
        IrcMessage m = IrcCodec.parse("privmsg   #a    b   :c d");
        assertEquals("PRIVMSG", m.command());
        assertEquals(List.of("#a", "b", "c d"), m.params());
        assertEquals(List.of("x"), IrcCodec.parse("NICK x   ").params());
        assertEquals(List.of(""), IrcCodec.parse("TOPIC :").params());
    }

    @Test
    void fifteenthParameterTakesTheRest() {
        IrcMessage m = IrcCodec.parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17");
        assertEquals(15, m.params().size());
        assertEquals("15 16 17", m.params().getLast());
    }

    @Test
    void unknownEscapesDropTheBackslash() {
        assertEquals("ab", IrcCodec.unescape("a\\b"));
        assertEquals("a", IrcCodec.unescape("a\\"));
        assertEquals("x;y z\\", IrcCodec.unescape(IrcCodec.escape("x;y z\\")));
    }

    @Test
    void refusesOverlongMessagesWith417() {
        String ok = "PRIVMSG #c :" + "x".repeat(IrcCodec.MAX_MESSAGE_BYTES - 12);
        assertEquals(IrcCodec.MAX_MESSAGE_BYTES, ok.length());
        IrcCodec.parse(ok);
        var e = assertThrows(IrcException.class, () -> IrcCodec.parse(ok + "x"));
        assertEquals(Numeric.ERR_INPUTTOOLONG, e.numeric());
        // UTF-8 bytes count, not characters: 255 two-byte letters are 510 bytes, and the command is more.
        var utf8 = assertThrows(IrcException.class, () -> IrcCodec.parse("PRIVMSG #c :" + "é".repeat(250)));
        assertEquals(Numeric.ERR_INPUTTOOLONG, utf8.numeric());
        // The tag budget is separate: 4094 bytes of client tags.
        String tags = "@a=" + "v".repeat(IrcCodec.MAX_CLIENT_TAG_BYTES - 3);
        IrcCodec.parse(tags + " " + ok);
        assertEquals(Numeric.ERR_INPUTTOOLONG, assertThrows(IrcException.class, () -> IrcCodec.parse(tags + "v " + ok)).numeric());
    }

    @Test
    void refusesLinesWithoutACommandOrWithBadTags() {
        assertEquals("ERR_UNKNOWNCOMMAND No command",
                assertThrows(IrcException.class, () -> IrcCodec.parse("@a=b ")).getMessage());
        assertEquals("ERR_UNKNOWNCOMMAND Source without a command",
                assertThrows(IrcException.class, () -> IrcCodec.parse(":only-a-source")).getMessage());
        assertEquals("ERR_UNKNOWNCOMMAND Malformed tag key 'a!b'",
                assertThrows(IrcException.class, () -> IrcCodec.parse("@a!b=1 PING")).getMessage());
        assertEquals(Numeric.ERR_UNKNOWNCOMMAND, assertThrows(IrcException.class, () -> IrcCodec.parse("PR!VMSG x")).numeric());
    }

    @Test
    void corruptingAnyByteToALineBreakOrNulIsRefusedWithItsOffset() {
        String line = "@time=x :n!u@h PRIVMSG #c :hi there";
        for (int i = 0; i < line.length(); i++) {
            for (char bad : new char[] {'\r', '\n', '\0'}) {
                String corrupt = line.substring(0, i) + bad + line.substring(i + 1);
                int at = i;
                var e = assertThrows(IrcException.class, () -> IrcCodec.parse(corrupt));
                assertEquals(String.format("ERR_UNKNOWNCOMMAND Control character 0x%02x in line at offset 0x%04x", (int) bad, at),
                        e.getMessage());
            }
        }
    }

    @Test
    void formatsAndRoundTrips() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("time", "2026-12-01T10:00:00.000Z");
        tags.put("note", "a b;c");
        var m = new IrcMessage(tags, Optional.of("irc.test"), "PRIVMSG", List.of("#c", ":starts with colon"));
        String wire = IrcCodec.format(m);
        assertEquals("@time=2026-12-01T10:00:00.000Z;note=a\\sb\\:c :irc.test PRIVMSG #c ::starts with colon", wire);
        assertEquals(m, IrcCodec.parse(wire));
        assertEquals("PING :", IrcCodec.format(IrcMessage.of("PING", "")));
        assertEquals("PONG x", IrcCodec.format(IrcMessage.of("PONG", "x")));
    }

    @Test
    void textParametersAreTrailingEvenAsOneWord() {
        // ii and sic take a message's text from the first ':' after the source: "PRIVMSG #c hi"
        // showed as an empty message in both, as did a one-nick NAMES reply; ii dropped "NICK new".
        assertEquals(":a!u@h PRIVMSG #c :hi", IrcCodec.format(IrcMessage.from("a!u@h", "PRIVMSG", List.of("#c", "hi"))));
        assertEquals("NOTICE bob :hi", IrcCodec.format(IrcMessage.of("NOTICE", "bob", "hi")));
        assertEquals("PART #c :bye", IrcCodec.format(IrcMessage.of("PART", "#c", "bye")));
        assertEquals("PART #c", IrcCodec.format(IrcMessage.of("PART", "#c")), "a channel is no text");
        assertEquals("KICK #c bob :spam", IrcCodec.format(IrcMessage.of("KICK", "#c", "bob", "spam")));
        assertEquals("QUIT :gone", IrcCodec.format(IrcMessage.of("QUIT", "gone")));
        assertEquals("TOPIC #c :news", IrcCodec.format(IrcMessage.of("TOPIC", "#c", "news")));
        assertEquals("CAP * ACK :sasl", IrcCodec.format(IrcMessage.of("CAP", "*", "ACK", "sasl")));
        assertEquals(":irc.test 353 me = #c :@me", IrcCodec.format(IrcMessage.from("irc.test", "353", List.of("me", "=", "#c", "@me"))));
        assertEquals("JOIN #c", IrcCodec.format(IrcMessage.of("JOIN", "#c")));
        assertEquals("NICK :new", IrcCodec.format(IrcMessage.of("NICK", "new")), "ii showed no nick change without it");
        assertEquals("INVITE bob :#c", IrcCodec.format(IrcMessage.of("INVITE", "bob", "#c")));
        assertEquals("PING :irc.test", IrcCodec.format(IrcMessage.of("PING", "irc.test")), "ii answered PONG (null)");
        assertEquals(":irc.test PONG irc.test :t1", IrcCodec.format(IrcMessage.from("irc.test", "PONG", List.of("irc.test", "t1"))));
        assertEquals("MODE #c +o bob", IrcCodec.format(IrcMessage.of("MODE", "#c", "+o", "bob")));
        assertEquals("AUTHENTICATE +", IrcCodec.format(IrcMessage.of("AUTHENTICATE", "+")));
    }

    @Test
    void formatRefusesWhatWouldSplitDifferently() {
        for (String bad : List.of("a\r\nQUIT", "a\nb", "nul\u0000")) {
            var e = assertThrows(IllegalArgumentException.class, () -> IrcCodec.format(IrcMessage.of("PRIVMSG", "#c", bad)));
            assertTrue(e.getMessage().contains("control character"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> IrcCodec.format(IrcMessage.of("MODE", "a b", "x")));
        assertThrows(IllegalArgumentException.class, () -> IrcCodec.format(IrcMessage.of("MODE", "", "x")));
        assertThrows(IllegalArgumentException.class, () -> IrcCodec.format(IrcMessage.of("MODE", ":x", "y")));
    }

    @Test
    void numericsHaveUniqueThreeDigitCodes() {
        assertEquals("001", Numeric.RPL_WELCOME.wire());
        assertEquals(Optional.of(Numeric.ERR_INPUTTOOLONG), Numeric.of(417));
        assertEquals(Optional.empty(), Numeric.of(999));
        for (Numeric n : Numeric.values()) {
            assertEquals(n, Numeric.of(n.code()).orElseThrow());
        }
    }

    @Test
    void capabilitiesAdvertiseValuesOnlyFor302() {
        assertEquals("sasl=PLAIN,SCRAM-SHA-256", Capability.SASL.advertised(true));
        assertEquals("sasl", Capability.SASL.advertised(false));
        assertEquals(Optional.of(Capability.CHATHISTORY), Capability.ofWire("draft/chathistory"));
        assertEquals(Optional.empty(), Capability.ofWire("SASL"));
    }
}
