package dev.protokit.chat.wire;

import static dev.protokit.chat.wire.WireFixtures.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.common.frame.FrameException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad client messages fail with the code an error reply carries and a message naming the field
 * and the bad value; a valid frame with one byte changed fails in the frame layer or here, never
 * silently becomes another valid message of a different meaning without the check seeing it.
 */
class ChatCodecRejectionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"room\":\"general\"}                                         | MALFORMED message: field type missing",
        "{\"type\":7}                                                   | MALFORMED message: field type is NUMBER, expected STRING",
        "{\"type\":\"jion\",\"room\":\"general\"}                       | UNKNOWN_TYPE type \"jion\"",
        "{\"type\":\"welcome\"}                                         | UNKNOWN_TYPE type \"welcome\" is sent by the server, not a client",
        "{\"type\":\"say\",\"room\":\"general\"}                        | MALFORMED say: field text missing",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"\"}          | MALFORMED say: text is empty",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"a\\u0007b\"} | MALFORMED say: text has control character 0x0007 at 1",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"a\\r\\nPRIVMSG\"} | MALFORMED say: text has control character 0x000d at 1",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"\\u009b31m\"} | MALFORMED say: text has control character 0x009b at 0",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"\\ud800\"}   | MALFORMED say: text has unpaired surrogate 0xd800 at 0",
        "{\"type\":\"say\",\"room\":\"gen eral\",\"text\":\"x\"}        | BAD_NAME say: room has character 0x0020 at 3",
        "{\"type\":\"say\",\"room\":\"\",\"text\":\"x\"}                | BAD_NAME say: room length 0x0000 is not 0x0001..0x0040",
        "{\"type\":\"say\",\"room\":[\"general\"],\"text\":\"x\"}       | MALFORMED say: field room is ARRAY, expected STRING",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"x\",\"action\":1} | MALFORMED say: field action is NUMBER, expected BOOLEAN",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"x\",\"ref\":\"a b\"} | MALFORMED say: ref has character 0x0020 at 1",
        "{\"type\":\"say\",\"room\":\"general\",\"text\":\"x\",\"bodyLength\":3} | MALFORMED say: carries no body, got bodyLength 0x3",
        "{\"type\":\"typing\",\"room\":\"general\",\"with\":\"bob\"}    | MALFORMED typing: needs exactly one of fields room and with",
        "{\"type\":\"typing\"}                                          | MALFORMED typing: needs exactly one of fields room and with",
        "{\"type\":\"history\",\"room\":\"general\",\"limit\":101}      | MALFORMED history: limit 0x0065 is not 0x0001..0x0064",
        "{\"type\":\"history\",\"room\":\"general\",\"limit\":0}        | MALFORMED history: limit 0x0000 is not 0x0001..0x0064",
        "{\"type\":\"history\",\"room\":\"general\",\"before\":1.5}     | MALFORMED history: field before is NUMBER, expected INTEGER",
        "{\"type\":\"history\",\"room\":\"general\",\"before\":0}       | MALFORMED history: before 0x0 is not 0x1..0x1fffffffffffff",
        "{\"type\":\"history\",\"room\":\"general\",\"before\":2,\"after\":1} | MALFORMED history: before and after together",
        "{\"type\":\"attach\",\"room\":\"general\",\"name\":\"../x\",\"media_type\":\"text/plain\"} | MALFORMED attach: name must be a plain file name, without / or \\",
        "{\"type\":\"attach\",\"room\":\"general\",\"name\":\"x\",\"media_type\":\"text\"} | MALFORMED attach: media_type is not type/subtype",
        "{\"type\":\"get\",\"attachment\":\"../../etc/passwd\"}         | NO_SUCH_ATTACHMENT get: attachment id is not 22 base64url characters",
        "{\"type\":\"op\",\"command\":\"nuke\",\"target\":\"bob\"}      | MALFORMED op: field command has unknown value \"nuke\"",
        "{\"type\":\"op\",\"command\":\"kick\",\"target\":\"bob\"}      | MALFORMED op: kick needs field room",
    })
    void rejectsWithExactMessage(String json, String message) {
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeClient(header(json)));
        assertEquals(message, e.getMessage());
        assertEquals(message.substring(0, message.indexOf(' ')), e.code().name());
    }

    @Test
    void textLongerThanTheLimitIsTooLarge() {
        String text = "é".repeat(WireLimits.MAX_TEXT_BYTES / 2 + 1);
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeClient(header(
                "{\"type\":\"say\",\"room\":\"general\",\"text\":\"" + text + "\"}")));
        assertEquals("TOO_LARGE say: text length 0x0802 exceeds 0x0800 bytes", e.getMessage());
    }

    @Test
    void aFailureCarriesTheRequestsRefSoTheClientCanMatchIt() {
        var e = assertThrows(ChatWireException.class, () -> ChatCodec.decodeClient(header(
                "{\"type\":\"say\",\"ref\":\"c7\",\"room\":\"general\"}")));
        assertEquals(Optional.of("c7"), e.ref());
        assertEquals(new ServerMessage.Error(ErrorCode.MALFORMED, "say: field text missing", Optional.of("c7")),
                ServerMessage.Error.of(e));
    }

    /**
     * Every single-byte change of a valid say frame's header either fails with an exact
     * exception of the frame layer or of this codec, or decodes to a message that still passes
     * every check; nothing else escapes (no Jackson or runtime exception).
     */
    @Test
    void corruptingAnyOneByteOfAFrameFailsCleanlyOrStaysValid() {
        byte[] head = WireFixtures.head(new ClientMessage.Say(Optional.of("c1"), "general", "hi", false));
        byte[] values = {0x00, 0x07, 0x20, '"', '\\', '{', '}', ':', ',', 'x', (byte) 0x80, (byte) 0xff};
        for (int i = 0; i < head.length; i++) {
            for (byte value : values) {
                byte[] corrupt = head.clone();
                corrupt[i] = value;
                try {
                    ChatCodec.decodeClient(WireFixtures.parseHead(corrupt));
                } catch (ChatWireException | FrameException expected) {
                    assertEquals(true, expected.getMessage().matches("[A-Z0-9_]+ .+"), expected.getMessage());
                }
            }
        }
    }

    @ParameterizedTest(name = "byte {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // {"type":"say","ref":"c1","room":"general","text":"hi","bodyLength":0}: 4-byte prefix 00 00 00 45, then the JSON
        "11 | 0x00 | HEADER_NOT_JSON header is not valid JSON",
        "14 | 0x78 | UNKNOWN_TYPE type \"sxy\"",
        "40 | 0x20 | BAD_NAME say: room has character 0x0020 at 3",
        "54 | 0x7f | MALFORMED say: text has control character 0x007f at 0",
        "0  | 0x01 | HEADER_TOO_LARGE header length 0x01000045 exceeds limit 0x00010000",
        "3  | 0x44 | HEADER_NOT_JSON header is not valid JSON",
        "71 | 0x35 | MALFORMED say: carries no body, got bodyLength 0x5",
        "26 | 0x20 | MALFORMED say: ref has character 0x0020 at 1",
        "55 | 0xc3 | HEADER_NOT_UTF8 header is not valid UTF-8 at offset 0x00000033",
    })
    void corruptOneByte(int index, String value, String message) {
        byte[] head = WireFixtures.head(new ClientMessage.Say(Optional.of("c1"), "general", "hi", false));
        head[index] = (byte) Integer.parseInt(value.substring(2), 16);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> ChatCodec.decodeClient(WireFixtures.parseHead(head)));
        assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void headerOfSayIsAsDrawn() {
        byte[] head = WireFixtures.head(new ClientMessage.Say(Optional.of("c1"), "general", "hi", false));
        assertEquals("{\"type\":\"say\",\"ref\":\"c1\",\"room\":\"general\",\"text\":\"hi\",\"bodyLength\":0}",
                new String(head, 4, head.length - 4, StandardCharsets.UTF_8));
        assertEquals(0x45, head.length - 4);
    }
}
