package dev.protokit.rendezvous.stun;

import static dev.protokit.rendezvous.stun.Rfc5769Test.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelDataTest {
    @Test
    void decodesChannelLengthAndDataAllowingPadding() {
        ChannelData c = ChannelData.decode(hex("40010003 616263 00"));
        assertEquals(0x4001, c.channel());
        assertEquals(ByteBuffer.wrap("abc".getBytes()), c.data());
        ByteBuffer out = ByteBuffer.allocate(c.encodedLength());
        c.encode(out);
        assertEquals(hex("40010003 616263"), out.flip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "3fff0000          | BAD_REQUEST channel number 0x3fff",
        "80000000          | BAD_REQUEST channel number 0x8000",
        "40000004 616263   | BAD_REQUEST ChannelData length 0x0004 for 0x0003 bytes",
        "40000000 61626364 | BAD_REQUEST ChannelData length 0x0000 for 0x0004 bytes",
        "4000              | BAD_REQUEST ChannelData length 0x0002",
    })
    void refusesBadChannelsAndLengths(String fixture, String message) {
        assertEquals(message, assertThrows(StunException.class, () -> ChannelData.decode(hex(fixture))).getMessage());
    }
}
