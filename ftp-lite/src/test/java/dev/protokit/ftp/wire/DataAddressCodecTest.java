package dev.protokit.ftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.ftp.wire.DataAddressCodec.EpsvRequest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataAddressCodecTest {

    @Test
    void parsesPort() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4 * 256 + 1),
                DataAddressCodec.parsePort("192,0,2,7,4,1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,2,3,4,5", "1,2,3,4,5,6,7", "256,0,0,1,4,1", "1,2,3,4,5,x", "1,2,3,4,5,-1", "1,,3,4,5,6", "1,2,3,4,5,0006"})
    void refusesBadPortArguments(String argument) {
        assertEquals(ReplyCode.ARGUMENT_ERROR,
                assertThrows(FtpException.class, () -> DataAddressCodec.parsePort(argument)).code());
    }

    @Test
    void formatsPasv() throws Exception {
        assertEquals("Entering Passive Mode (127,0,0,1,117,49).",
                DataAddressCodec.formatPasv((Inet4Address) InetAddress.getByName("127.0.0.1"), 30001));
    }

    @Test
    void parsesEprtBothFamiliesAndAnyDelimiter() {
        InetSocketAddress v4 = DataAddressCodec.parseEprt("|1|132.235.1.2|6275|");
        assertEquals("132.235.1.2", v4.getAddress().getHostAddress());
        assertEquals(6275, v4.getPort());
        InetSocketAddress v6 = DataAddressCodec.parseEprt("!2!1080::8:800:200C:417A!5282!");
        assertInstanceOf(Inet6Address.class, v6.getAddress());
        assertEquals(5282, v6.getPort());
    }

    @Test
    void unknownEprtFamilyIs522() {
        assertEquals(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                assertThrows(FtpException.class, () -> DataAddressCodec.parseEprt("|3|1.2.3.4|5000|")).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"|1|1.2.3.4|0|", "|1|1.2.3.4|65536|", "|1|example.com|5000|", "|2|evil.example|5000|",
        "|1|1.2.3|5000|", "|1|1.2.3.4|5000", "1|1.2.3.4|5000|", "|1|1.2.3.4|5000|x|", "\u0001" + "1\u00011.2.3.4\u00015000\u0001"})
    void refusesBadEprtArguments(String argument) {
        assertEquals(ReplyCode.ARGUMENT_ERROR,
                assertThrows(FtpException.class, () -> DataAddressCodec.parseEprt(argument)).code());
    }

    @Test
    void parsesEpsvArguments() {
        assertEquals(EpsvRequest.ANY, DataAddressCodec.parseEpsv(""));
        assertEquals(EpsvRequest.IPV4, DataAddressCodec.parseEpsv("1"));
        assertEquals(EpsvRequest.IPV6, DataAddressCodec.parseEpsv("2"));
        assertEquals(EpsvRequest.ALL, DataAddressCodec.parseEpsv("all"));
        assertEquals(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                assertThrows(FtpException.class, () -> DataAddressCodec.parseEpsv("3")).code());
        assertEquals(ReplyCode.ARGUMENT_ERROR,
                assertThrows(FtpException.class, () -> DataAddressCodec.parseEpsv("ANY")).code());
    }

    @Test
    void formatsEpsv() {
        assertEquals("Entering Extended Passive Mode (|||30002|).", DataAddressCodec.formatEpsv(30002));
    }
}
