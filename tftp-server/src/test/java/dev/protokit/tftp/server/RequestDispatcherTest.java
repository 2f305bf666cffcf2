package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.tftp.server.RequestDispatcher.Drop;
import dev.protokit.tftp.server.RequestDispatcher.Reply;
import dev.protokit.tftp.server.RequestDispatcher.Start;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.protokit.common.daemon.RequestRate;

class RequestDispatcherTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @TempDir
    Path root;
    final Set<InetSocketAddress> running = new HashSet<>();
    AddressLimiter limiter;

    @BeforeEach
    void setUp() throws IOException {
        Files.write(root.resolve("boot.img"), new byte[1000]);
        limiter = new AddressLimiter(new ConnectionLimits(2, 1));
    }

    private RequestDispatcher dispatcher(TftpServerConfig config) {
        return new RequestDispatcher(config, limiter, running::contains, new RequestRate(RequestRate.Policy.defaults(), () -> 0L));
    }

    private RequestDispatcher dispatcher() {
        return dispatcher(TftpServerConfig.defaults(root).withMaxBlksize(1468).withMaxWindowsize(16));
    }

    private static ByteBuffer bytes(TftpPacket p) {
        return TftpCodec.encode(p);
    }

    private static Reply reply(RequestDispatcher.Decision d, ErrorCode code) {
        Reply r = assertInstanceOf(Reply.class, d);
        assertEquals(code, r.error().code(), r.reason());
        return r;
    }

    @Test
    void startsAReadWithNegotiatedOptionsCappedByTheServer() {
        var rrq = new ReadRequest("boot.img", TransferMode.OCTET,
                TftpOptions.of("blksize", "65464", "windowsize", "64", "tsize", "0", "x-unknown", "1"));
        Start s = assertInstanceOf(Start.class, dispatcher().dispatch(CLIENT, bytes(rrq)));
        var oack = s.plan().negotiation().reply().orElseThrow().options();
        assertEquals(Set.of("blksize", "windowsize", "tsize"), oack.values().keySet());
        assertEquals("1468", oack.get("blksize").orElseThrow());
        assertEquals("16", oack.get("windowsize").orElseThrow());
        assertEquals("1000", oack.get("tsize").orElseThrow());
        assertEquals(1, limiter.active());
        s.plan().permit().close();
        assertEquals(0, limiter.active());
    }

    @Test
    void windowMemoryIsCappedAtOneMebibyte() {
        var d = dispatcher(TftpServerConfig.defaults(root).withMaxWindowsize(1000));
        var rrq = new ReadRequest("boot.img", TransferMode.OCTET, TftpOptions.of("blksize", "65464", "windowsize", "1000"));
        Start s = assertInstanceOf(Start.class, d.dispatch(CLIENT, bytes(rrq)));
        assertEquals(65464, s.plan().negotiation().agreed().blockSize());
        assertEquals(RequestDispatcher.MAX_WINDOW_BYTES / (65464 + 4), s.plan().negotiation().agreed().windowSize());
        assertEquals("16", s.plan().negotiation().reply().orElseThrow().options().get("windowsize").orElseThrow());
    }

    @Test
    void forgedRequestsBeyondTheRateGetNoAnswerSoTheServerCannotReflectAFlood() {
        var victim = new InetSocketAddress("192.0.2.80", 40000);
        var rrq = bytes(new ReadRequest("nope", TransferMode.OCTET));
        var d = dispatcher();
        int answered = 0;
        for (int i = 0; i < 1_000; i++) {
            if (!(d.dispatch(victim, rrq.duplicate()) instanceof RequestDispatcher.Drop)) {
                answered++;
            }
        }
        assertEquals(RequestRate.Policy.defaults().burst(), answered, "only the burst is answered at once");
    }

    @Test
    void missingFileIsOneErrorAndReleasesThePermit() {
        reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("nope", TransferMode.OCTET))), ErrorCode.FILE_NOT_FOUND);
        assertEquals(0, limiter.active());
    }

    @Test
    void mailModeIsIllegalOperation() {
        var r = reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("boot.img", TransferMode.MAIL))),
                ErrorCode.ILLEGAL_OPERATION);
        assertTrue(r.error().message().contains("mail"));
    }

    /** A mail-mode request with a name of 1-3 bytes was answered with an empty message. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a", "in", "foo", "boot", "user@example.org", "a-name-long-enough-for-all"})
    void mailModeIsAlwaysNamedWithinTheRequestSize(String name) {
        for (TftpPacket request : List.of(new WriteRequest(name, TransferMode.MAIL), new ReadRequest(name, TransferMode.MAIL))) {
            ByteBuffer sent = bytes(request);
            int size = sent.remaining();
            for (var d : List.of(dispatcher(), dispatcher(TftpServerConfig.defaults(root).withWrites(WritePolicy.CREATE_FILES)))) {
                var r = reply(d.dispatch(CLIENT, sent.duplicate()), ErrorCode.ILLEGAL_OPERATION);
                assertTrue(r.error().message().contains("mail"), request + ": '" + r.error().message() + "'");
                assertTrue(TftpCodec.encode(r.error()).remaining() <= size, request + " answered with more bytes");
            }
        }
    }

    @Test
    void writesAreRefusedWhenReadOnly() {
        reply(dispatcher().dispatch(CLIENT, bytes(new WriteRequest("boot.img", TransferMode.OCTET))),
                ErrorCode.ACCESS_VIOLATION);
    }

    @Test
    void newFilesNeedAllowCreate() {
        var write = dispatcher(TftpServerConfig.defaults(root).withWrites(WritePolicy.EXISTING_FILES));
        reply(write.dispatch(CLIENT, bytes(new WriteRequest("new.bin", TransferMode.OCTET))), ErrorCode.FILE_NOT_FOUND);
        Start s = assertInstanceOf(Start.class, write.dispatch(CLIENT, bytes(new WriteRequest("boot.img", TransferMode.OCTET))));
        s.plan().permit().close();
        var create = dispatcher(TftpServerConfig.defaults(root).withWrites(WritePolicy.CREATE_FILES));
        assertInstanceOf(Start.class, create.dispatch(CLIENT, bytes(new WriteRequest("new.bin", TransferMode.OCTET))));
    }

    @Test
    void writeWhoseTsizePassesTheQuotaIsDiskFullBeforeAnyData() {
        var d = dispatcher(TftpServerConfig.defaults(root).withWrites(WritePolicy.CREATE_FILES).withMaxUploadSize(100));
        var wrq = new WriteRequest("big.bin", TransferMode.OCTET, TftpOptions.of("tsize", "101"));
        reply(d.dispatch(CLIENT, bytes(wrq)), ErrorCode.DISK_FULL);
        assertEquals(0, limiter.active());
    }

    @Test
    void overTheLimitsIsServerBusy() {
        var d = dispatcher();
        assertInstanceOf(Start.class, d.dispatch(CLIENT, bytes(new ReadRequest("boot.img", TransferMode.OCTET))));
        var sameAddress = new InetSocketAddress("127.0.0.1", 40001);
        var r = reply(d.dispatch(sameAddress, bytes(new ReadRequest("boot.img", TransferMode.OCTET))), ErrorCode.NOT_DEFINED);
        assertEquals(RequestDispatcher.BUSY, r.error().message());
        assertInstanceOf(Start.class, d.dispatch(new InetSocketAddress("127.0.0.2", 1234),
                bytes(new ReadRequest("boot.img", TransferMode.OCTET))));
        reply(d.dispatch(new InetSocketAddress("127.0.0.3", 1234),
                bytes(new ReadRequest("boot.img", TransferMode.OCTET))), ErrorCode.NOT_DEFINED);
    }

    @Test
    void retransmittedRequestOfARunningTransferGoesToThatTransfer() {
        running.add(CLIENT);
        assertInstanceOf(RequestDispatcher.Repeated.class, dispatcher().dispatch(CLIENT, bytes(new ReadRequest("boot.img", TransferMode.OCTET))));
    }

    @Test
    void sourcePortZeroIsDropped() {
        assertInstanceOf(Drop.class, dispatcher().dispatch(new InetSocketAddress("127.0.0.1", 0),
                bytes(new ReadRequest("boot.img", TransferMode.OCTET))));
    }

    @Test
    void nonRequestsOnTheRequestPortAreDropped() {
        for (String hex : new String[] {"", "00", "0003000161", "00040001", "0005000100", "000600", "ffff0000", "0009"}) {
            var d = dispatcher().dispatch(CLIENT, ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
            assertInstanceOf(Drop.class, d, hex);
        }
    }

    @Test
    void malformedRequestGetsOneReplyNoLongerThanItself() {
        // RRQ "a" with no mode terminator: 5 bytes in, so at most 5 bytes out (an empty message).
        var r = reply(dispatcher().dispatch(CLIENT, ByteBuffer.wrap(HexFormat.of().parseHex("0001610061"))),
                ErrorCode.ILLEGAL_OPERATION);
        assertTrue(TftpCodec.encode(r.error()).remaining() <= 5, r.toString());
    }

    @Test
    void hostileNameIsAccessViolationWithAShortMessage() {
        var r = reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("../../etc/passwd", TransferMode.OCTET))),
                ErrorCode.ACCESS_VIOLATION);
        assertEquals(ErrorCode.ACCESS_VIOLATION.description(), r.error().message());
        assertTrue(r.reason().contains("'..'"), r.reason());
    }

    @Test
    void errorsForShortRequestsAreShortWordsNeverWordsCutInHalf() {
        // Issue #9: standard clients showed "Error code 2: Access violat". The reply stays no
        // longer than the request (anti-amplification) and says a whole short text instead.
        var missing = reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("abc.img", TransferMode.OCTET))),
                ErrorCode.FILE_NOT_FOUND);
        assertEquals("Not found", missing.error().message());
        var denied = reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("../x", TransferMode.OCTET))),
                ErrorCode.ACCESS_VIOLATION);
        assertEquals("Denied", denied.error().message());
        var full = reply(dispatcher().dispatch(CLIENT, bytes(new ReadRequest("../../etc/passwd", TransferMode.OCTET))),
                ErrorCode.ACCESS_VIOLATION);
        assertEquals("Access violation", full.error().message());
        for (String name : new String[] {"x", "ab", "../x", "abc.img", "/etc/a", "..\\y"}) {
            var request = bytes(new ReadRequest(name, TransferMode.OCTET));
            int length = request.remaining();
            if (dispatcher().dispatch(CLIENT, request) instanceof RequestDispatcher.Reply r) {
                assertTrue(TftpCodec.encode(r.error()).remaining() <= length, name + ": " + r);
                var code = r.error().code();
                assertTrue(java.util.Set.of(code.description(), code.shortText(), "").contains(r.error().message()),
                        name + ": " + r.error().message());
            }
        }
    }
}
