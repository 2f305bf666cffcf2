package dev.protokit.tftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 2347 negotiation from both ends, with RFC 2348, 2349 and 7440 ranges. */
class OptionNegotiationTest {
    private static final ClientOptions ASKED = new ClientOptions(OptionalInt.of(1468), OptionalInt.of(16),
            OptionalInt.of(3), OptionalLong.of(0));

    @Test
    void clientWritesOptionsInTheRequest() {
        assertEquals(TftpOptions.of("blksize", "1468", "timeout", "3", "tsize", "0", "windowsize", "16"),
                ASKED.toWire());
        assertTrue(ClientOptions.NONE.toWire().isEmpty());
    }

    @Test
    void clientAcceptsLowerSizesAndTheFileSize() {
        var agreed = ASKED.accept(new OptionAck(TftpOptions.of("BLKSIZE", "512", "windowsize", "8",
                "timeout", "3", "tsize", "123456")), false);
        assertEquals(new NegotiatedOptions(512, 8, OptionalInt.of(3), OptionalLong.of(123456)), agreed);
    }

    @Test
    void clientKeepsDefaultsForOptionsTheServerLeftOut() {
        assertEquals(NegotiatedOptions.DEFAULTS, ASKED.accept(new OptionAck(TftpOptions.empty()), false));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "blksize, 1469, OPTION_NEGOTIATION_FAILED blksize 0x05bd where 0x05bc was asked",
        "blksize, 7, OPTION_NEGOTIATION_FAILED blksize value 0x37",
        "windowsize, 17, OPTION_NEGOTIATION_FAILED windowsize 0x0011 where 0x0010 was asked",
        "windowsize, 0, OPTION_NEGOTIATION_FAILED windowsize value 0x30",
        "timeout, 4, OPTION_NEGOTIATION_FAILED timeout 0x0004 where 0x0003 was asked",
        "tsize, -1, OPTION_NEGOTIATION_FAILED tsize value 0x2d31",
        "multicast, 1, OPTION_NEGOTIATION_FAILED unrequested option 0x6d756c746963617374",
    })
    void clientRejectsWhatItDidNotAskFor(String name, String value, String message) {
        var e = assertThrows(TftpException.class,
                () -> ASKED.accept(new OptionAck(TftpOptions.of(name, value)), false));
        assertEquals(ErrorCode.OPTION_NEGOTIATION_FAILED, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void clientRejectsAnOptionItDidNotRequest() {
        var onlyBlksize = new ClientOptions(OptionalInt.of(1024), OptionalInt.empty(), OptionalInt.empty(),
                OptionalLong.empty());
        var e = assertThrows(TftpException.class,
                () -> onlyBlksize.accept(new OptionAck(TftpOptions.of("tsize", "5")), false));
        assertEquals("OPTION_NEGOTIATION_FAILED unrequested option tsize", e.getMessage());
    }

    @Test
    void clientRequiresTsizeEchoedOnWrite() {
        var put = new ClientOptions(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.of(99));
        assertEquals(OptionalLong.of(99), put.accept(new OptionAck(TftpOptions.of("tsize", "99")), true).transferSize());
        assertThrows(TftpException.class, () -> put.accept(new OptionAck(TftpOptions.of("tsize", "98")), true));
    }

    @Test
    void serverGrantsWithinLimitsIgnoresUnknownAndInvalid() {
        var request = new ReadRequest("f", TransferMode.OCTET, TftpOptions.of("BlkSize", "65464",
                "windowsize", "500", "timeout", "0", "tsize", "0", "multicast", "", "rollover", "0"));
        var n = new ServerOptionPolicy(8192, 64).negotiate(request, OptionalLong.of(4242));
        assertEquals(new NegotiatedOptions(8192, 64, OptionalInt.empty(), OptionalLong.of(4242)), n.agreed());
        assertEquals(Optional.of(new OptionAck(TftpOptions.of("blksize", "8192", "windowsize", "64",
                "tsize", "4242"))), n.reply());
    }

    @Test
    void serverAnswersPlainWhenNothingIsAcknowledged() {
        var request = new WriteRequest("f", TransferMode.OCTET, TftpOptions.of("blksize", "7", "foo", "1"));
        var n = ServerOptionPolicy.PERMISSIVE.negotiate(request, OptionalLong.empty());
        assertEquals(NegotiatedOptions.DEFAULTS, n.agreed());
        assertEquals(Optional.empty(), n.reply());
    }

    @Test
    void serverEchoesTimeoutAndWriteSize() {
        var request = new WriteRequest("f", TransferMode.OCTET, TftpOptions.of("timeout", "255", "tsize", "1000"));
        var n = ServerOptionPolicy.PERMISSIVE.negotiate(request, OptionalLong.empty());
        assertEquals(new NegotiatedOptions(512, 1, OptionalInt.of(255), OptionalLong.of(1000)), n.agreed());
    }

    @Test
    void optionValuesAreStrictDecimal() {
        assertEquals(OptionalLong.of(8), TftpOption.BLKSIZE.parse("8"));
        assertEquals(OptionalLong.empty(), TftpOption.BLKSIZE.parse("+8"));
        assertEquals(OptionalLong.empty(), TftpOption.BLKSIZE.parse(" 8"));
        assertEquals(OptionalLong.empty(), TftpOption.BLKSIZE.parse("65465"));
        assertEquals(OptionalLong.empty(), TftpOption.TSIZE.parse("99999999999999999999"));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), TftpOption.TSIZE.parse("9223372036854775807"));
        assertEquals(OptionalLong.empty(), TftpOption.TSIZE.parse("9223372036854775808"));
    }
}
