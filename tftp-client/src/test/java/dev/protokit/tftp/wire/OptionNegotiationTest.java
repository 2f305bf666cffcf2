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
    void clientToleratesAnotherTsizeOnWriteAndKeepsItsOwn() {
        // tftpy's server answers a WRQ's tsize with 0: harmless, the size is the client's own.
        var put = new ClientOptions(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.of(99));
        assertEquals(OptionalLong.of(99), put.accept(new OptionAck(TftpOptions.of("tsize", "99")), true).transferSize());
        assertEquals(OptionalLong.of(99), put.accept(new OptionAck(TftpOptions.of("tsize", "0")), true).transferSize());
    }

    @Test
    void clientAcceptsAnUnrequestedOptionThatRestatesTheDefault() {
        // tftpy's server adds "blksize 512" to every OACK.
        var onlyTsize = new ClientOptions(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.of(0));
        var agreed = onlyTsize.accept(new OptionAck(TftpOptions.of("blksize", "512", "tsize", "700", "windowsize", "1")), false);
        assertEquals(new NegotiatedOptions(512, 1, OptionalInt.empty(), OptionalLong.of(700)), agreed);
        var e = assertThrows(TftpException.class,
                () -> onlyTsize.accept(new OptionAck(TftpOptions.of("blksize", "1024")), false));
        assertEquals("OPTION_NEGOTIATION_FAILED unrequested option blksize", e.getMessage());
    }

    @Test
    void windowsStayWhereSixteenBitBlockNumbersAreUnambiguous() {
        // Issue #9: granted 40000, a stale ACK 30,000 blocks old was taken for a forward one.
        var request = new ReadRequest("f", TransferMode.OCTET, TftpOptions.of("windowsize", "40000"));
        var n = new ServerOptionPolicy(65464, 65535).negotiate(request, OptionalLong.empty());
        assertEquals(NegotiatedOptions.MAX_WINDOW, n.agreed().windowSize());
        assertEquals(TftpOptions.of("windowsize", "32767"), n.reply().orElseThrow().options());
        var client = new ClientOptions(OptionalInt.empty(), OptionalInt.of(40000), OptionalInt.empty(), OptionalLong.empty());
        assertEquals(TftpOptions.of("windowsize", "32767"), client.toWire());
        assertThrows(TftpException.class, () -> client.accept(new OptionAck(TftpOptions.of("windowsize", "40000")), false));
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

    /** RFC 2348 bounds blksize to 8..65464; a larger request was ignored, now it gets the server's largest. */
    @ParameterizedTest(name = "blksize {0}")
    @CsvSource({"65465", "65536", "100000", "99999999999999999999999999"})
    void blksizeAboveTheRfcBoundIsClampedToTheServerMaximum(String asked) {
        var request = new ReadRequest("f", TransferMode.OCTET, TftpOptions.of("blksize", asked));
        var limited = new ServerOptionPolicy(1468, 64).negotiate(request, OptionalLong.empty());
        assertEquals(1468, limited.agreed().blockSize());
        assertEquals(TftpOptions.of("blksize", "1468"), limited.reply().orElseThrow().options());
        var permissive = ServerOptionPolicy.PERMISSIVE.negotiate(request, OptionalLong.empty());
        assertEquals(TftpOptions.of("blksize", "65464"), permissive.reply().orElseThrow().options());
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
        assertEquals(OptionalLong.of(65464), TftpOption.BLKSIZE.parseCapped("65465"));
        assertEquals(OptionalLong.of(65464), TftpOption.BLKSIZE.parseCapped("0000065464"));
        assertEquals(OptionalLong.empty(), TftpOption.BLKSIZE.parseCapped("7"));
        assertEquals(OptionalLong.empty(), TftpOption.BLKSIZE.parseCapped("1e9"));
        assertEquals(OptionalLong.empty(), TftpOption.TSIZE.parse("99999999999999999999"));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), TftpOption.TSIZE.parse("9223372036854775807"));
        assertEquals(OptionalLong.empty(), TftpOption.TSIZE.parse("9223372036854775808"));
    }
}
