package dev.protokit.rendezvous.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.rendezvous.wire.RendezvousMessage.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import dev.protokit.rendezvous.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rendezvous message built field by field against annotated bytes, round trips, corruption. */
class RendezvousCodecTest {
    static ByteBuffer hex(String annotated) {
        return Fixtures.hex(annotated);
    }

    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void registerCarriesSessionPeerAndCandidates() throws Exception {
        var m = new Register(0x0102030405060708L, 7, 0x1112131415161718L,
                List.of(Candidate.host(at("192.168.1.20", 40000)), Candidate.host(at("2001:db8::1", 40001))));
        ByteBuffer wire = hex("""
                d5 52 01 01 0102030405060708     magic, version 1, REGISTER, transaction id
                00000007                         session 7 (of 7-sunset-harbor)
                1112131415161718                 peer id
                02                               2 candidates
                01 04 9c40 c0a80114              host IPv4 192.168.1.20:40000
                01 06 9c41 20010db8000000000000000000000001   host IPv6 [2001:db8::1]:40001
                """);
        assertEquals(wire, RendezvousCodec.encode(m));
        assertEquals(m, RendezvousCodec.decode(wire));
    }

    @Test
    void registeredCarriesObservedAddressAndProbe() throws Exception {
        var m = new Registered(9, at("203.0.113.5", 61000), Duration.ofSeconds(120), Duration.ofSeconds(25),
                new Probe(0x0a0b0c0d0e0f1011L, 0x2122232425262728L));
        ByteBuffer wire = hex("""
                d5 52 01 02 0000000000000009     REGISTERED
                0078 0019                        lifetime 120 s, keepalive 25 s
                0a0b0c0d0e0f1011 2122232425262728   probe: issued, tag
                02 04 ee48 cb007105              server-reflexive 203.0.113.5:61000
                """);
        assertEquals(wire, RendezvousCodec.encode(m));
        assertEquals(m, RendezvousCodec.decode(wire));
    }

    @Test
    void probeEchoKeepaliveAndLeave() {
        var probe = new Probe(1, 2);
        assertEquals(hex("d5520103 0000000000000003 0000002a 00000000000000ff 0000000000000001 0000000000000002"),
                RendezvousCodec.encode(new ProbeEcho(3, 42, 255, probe)));
        assertEquals(hex("d5520104 0000000000000004 0000002a 00000000000000ff"),
                RendezvousCodec.encode(new Keepalive(4, 42, 255)));
        assertEquals(hex("d5520106 0000000000000005 ffffffff 00000000000000ff"),
                RendezvousCodec.encode(new Leave(5, 0xffff_ffffL, 255)));
    }

    @Test
    void introduceCarriesCandidatesStartAndRelay() throws Exception {
        var m = new Introduce(1, 7, 2, Role.SECOND, Duration.ofMillis(350),
                List.of(Candidate.reflexive(at("198.51.100.1", 5000)), Candidate.host(at("10.0.0.2", 5001))),
                Optional.of(new RelayOffer(Optional.empty(), "1735689600:rdv", "pw==")));
        ByteBuffer wire = hex("""
                d5 52 01 05 0000000000000001     INTRODUCE
                00000007 0000000000000002        session 7, the other peer's id
                01 015e                          role SECOND, start in 350 ms
                02                               2 candidates
                02 04 1388 c6336401              server-reflexive 198.51.100.1:5000
                01 04 1389 0a000002              host 10.0.0.2:5001
                01                               relay: this server
                0e 313733353638393630303a726476   username "1735689600:rdv"
                04 70773d3d                      password "pw=="
                """);
        assertEquals(wire, RendezvousCodec.encode(m));
        assertEquals(m, RendezvousCodec.decode(wire));
        var elsewhere = new Introduce(1, 7, 2, Role.FIRST, Duration.ZERO, List.of(),
                Optional.of(new RelayOffer(Optional.of(at("192.0.2.9", 3478)), "u", "p")));
        assertEquals(elsewhere, RendezvousCodec.decode(RendezvousCodec.encode(elsewhere)));
        assertEquals(new Introduce(1, 7, 2, Role.FIRST, Duration.ZERO, List.of(), Optional.empty()),
                RendezvousCodec.decode(RendezvousCodec.encode(
                        new Introduce(1, 7, 2, Role.FIRST, Duration.ZERO, List.of(), Optional.empty()))));
    }

    @Test
    void errorCarriesCodeAndReason() {
        var m = new ErrorMessage(6, ErrorCode.SESSION_FULL, "full");
        ByteBuffer wire = hex("d552017f 0000000000000006 0002 04 66756c6c");
        assertEquals(wire, RendezvousCodec.encode(m));
        assertEquals(m, RendezvousCodec.decode(wire));
    }

    @ParameterizedTest(name = "byte {0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "0  | d4 | BAD_MESSAGE magic 0xd452",
        "2  | 02 | BAD_MESSAGE version 0x0002",
        "3  | 08 | BAD_MESSAGE message type 0x0008",
        "24 | 09 | BAD_MESSAGE candidate count 0x0009",
        "24 | 02 | BAD_MESSAGE truncated at length 0x0021",
        "24 | 00 | BAD_MESSAGE trailing bytes at offset 0x0019",
        "25 | 04 | BAD_MESSAGE candidate kind 0x0004",
        "26 | 05 | BAD_MESSAGE address family 0x0005",
    })
    void corruptOneByte(int index, String value, String message) throws Exception {
        ByteBuffer wire = RendezvousCodec.encode(new Register(1, 7, 2, List.of(Candidate.host(at("10.0.0.1", 9)))));
        wire.put(index, (byte) Integer.parseInt(value, 16));
        var e = assertThrows(RendezvousException.class, () -> RendezvousCodec.decode(wire));
        assertEquals(ErrorCode.BAD_MESSAGE, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesPortZeroAndOverlongReasons() {
        assertEquals("BAD_MESSAGE candidate port 0x0000", assertThrows(RendezvousException.class, () ->
                RendezvousCodec.decode(hex("d5520101 0000000000000001 00000007 0000000000000002 01 0104 0000 0a000001")))
                .getMessage());
        assertThrows(RendezvousException.class, () -> new ErrorMessage(1, ErrorCode.BAD_PROBE, "x".repeat(65)));
        assertThrows(RendezvousException.class, () -> new Register(1, -1, 2, List.of()));
    }

    @Test
    void demultiplexesTheSharedPort() {
        assertEquals(PacketKind.STUN, PacketKind.of(hex("00010000 2112a442 010203040506070809 0a0b0c")));
        assertEquals(PacketKind.CHANNEL_DATA, PacketKind.of(hex("40000001 ff")));
        assertEquals(PacketKind.RENDEZVOUS, PacketKind.of(hex("d5520104 0000000000000004")));
        assertEquals(PacketKind.OTHER, PacketKind.of(hex("d5530104 0000000000000004")));
        assertEquals(PacketKind.OTHER, PacketKind.of(hex("80000000 00000000 00000000")));
        // RFC 3489 Binding requests (stun-client's): no cookie, a length that covers the rest
        assertEquals(PacketKind.STUN_RFC3489, PacketKind.of(hex("00010008 0a0b0c0d 0102030405060708090a0b0c 00030004 00000006")));
        assertEquals(PacketKind.OTHER, PacketKind.of(hex("00010004 0a0b0c0d 0102030405060708090a0b0c"))); // length past the end
        assertEquals(PacketKind.OTHER, PacketKind.of(hex("01010000 0a0b0c0d 0102030405060708090a0b0c"))); // a response
    }
}
