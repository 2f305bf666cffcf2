package dev.protokit.tftp.server;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Permit;
import dev.protokit.common.daemon.AddressLimiter.Refused;
import dev.protokit.common.daemon.RequestRate;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.Opcode;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.ServerOptionPolicy;
import dev.protokit.tftp.wire.ServerOptionPolicy.Negotiation;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.TransferRequest;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Decides what one datagram on the listening port leads to: nothing, a single ERROR packet, or
 * a transfer. This is the only code that sees unauthenticated packets, so it is cheap and
 * never amplifies: at most one small reply per datagram, limits checked before the file system
 * is touched, and everything but a well-formed RRQ or WRQ dropped without an answer (an ERROR
 * in reply to an ERROR could loop between two servers). It does no socket I/O itself, which
 * lets the fuzz test drive it with arbitrary bytes.
 */
final class RequestDispatcher implements AutoCloseable {
    /** The answer to a request refused by the limits (ERROR 0). */
    static final String BUSY = "server busy";
    /** {@link #BUSY} for a request too short to carry it back. */
    static final String BUSY_SHORT = "busy";
    private static final String MAIL = "mail mode not supported";
    /**
     * {@link #MAIL} for shorter requests, longest first. The last fits every mail-mode request:
     * "mail" and its NUL are in the request, plus at least a one-byte name and its NUL, so the
     * room past an ERROR's 5 fixed bytes is at least 4 (an empty message was sent to names of
     * 1-3 bytes).
     */
    private static final String[] MAIL_SHORT = {"mail unsupported", "no mail", "mail"};
    /** The most memory one transfer's send window may hold: blksize x windowsize is capped here. */
    static final int MAX_WINDOW_BYTES = 1 << 20;
    /** An ERROR packet with an empty message: opcode, code, NUL. */
    private static final int MIN_ERROR = 5;

    private final TftpServerConfig config;
    private final RootJail jail;
    private final AddressLimiter limiter;
    private final ServerOptionPolicy optionPolicy;
    private final Predicate<InetSocketAddress> inProgress;
    private final RequestRate requestRate;

    /**
     * @param inProgress whether a transfer with this client TID is already running: a retransmitted
     *     request is then dropped, since the running transfer retransmits its own first packet
     * @param requestRate requests per source address; over it a request is dropped unanswered, which
     *     bounds what a forged RRQ can make the server send to its victim (DATA 1 or an OACK, and
     *     their retransmissions) to the rate, whatever the attacker sends
     */
    RequestDispatcher(TftpServerConfig config, AddressLimiter limiter, Predicate<InetSocketAddress> inProgress,
                      RequestRate requestRate) {
        this.requestRate = Objects.requireNonNull(requestRate, "requestRate");
        this.config = Objects.requireNonNull(config, "config");
        this.jail = new RootJail(config.root());
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.optionPolicy = new ServerOptionPolicy(config.maxBlksize(), config.maxWindowsize(),
                (int) config.maxTimeout().toSeconds());
        this.inProgress = Objects.requireNonNull(inProgress, "inProgress");
    }

    /** Closes the root's descriptor; transfers still running keep it open until they end. */
    @Override
    public void close() {
        jail.close();
    }

    /** What to do with a datagram. */
    sealed interface Decision permits Drop, Reply, Start, Repeated {}

    /** Say nothing. */
    record Drop(String reason) implements Decision {}

    /** Send one ERROR from the listening socket; {@code reason} is for the log line. */
    record Reply(TftpError error, String reason) implements Decision {}

    /** Start a transfer; the plan owns a limiter permit that the transfer closes when done. */
    record Start(TransferPlan plan) implements Decision {}

    /**
     * A retransmitted request from the TID of a running transfer: the client missed the
     * transfer's first answer, which the transfer sends again if it still waits for its ACK.
     */
    record Repeated() implements Decision {}

    /**
     * Decides about {@code datagram} (its remaining bytes) from {@code from}; never throws on bad
     * input. A reply is never longer than the datagram it answers (its message is shortened to fit, never cut mid-word),
     * so a forged source address gains an attacker nothing.
     */
    Decision dispatch(InetSocketAddress from, ByteBuffer datagram) {
        Decision d = decide(from, datagram);
        if (d instanceof Reply(TftpError error, String reason)) {
            int room = Math.max(0, datagram.remaining() - MIN_ERROR);
            String[] shorter = switch (error.message()) {
                case BUSY -> new String[] {BUSY_SHORT};
                case MAIL -> MAIL_SHORT;
                default -> new String[0];
            };
            return new Reply(error.fitted(room, shorter), reason);
        }
        return d;
    }

    private Decision decide(InetSocketAddress from, ByteBuffer datagram) {
        if (from.getPort() == 0 || from.getAddress() == null || from.getAddress().isAnyLocalAddress()) {
            return new Drop("source port 0 or wildcard address");
        }
        if (datagram.remaining() < MIN_ERROR) {
            return new Drop("runt datagram of " + datagram.remaining() + " bytes");
        }
        int opcode = TftpCodec.peekOpcode(datagram);
        if (opcode != Opcode.RRQ.wireValue() && opcode != Opcode.WRQ.wireValue()) {
            return new Drop("opcode 0x%04x on the request port".formatted(opcode));
        }
        if (!requestRate.tryAcquire(from.getAddress())) {
            return new Drop("request rate from this address over the limit");
        }
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(datagram.duplicate());
        } catch (TftpException e) {
            return new Reply(TftpError.of(e.code()), "malformed request: " + e.getMessage());
        }
        if (!(packet instanceof TransferRequest request)) {
            return new Drop("not a request: " + packet.opcode());
        }
        if (inProgress.test(from)) {
            return new Repeated();
        }
        if (request.mode() == TransferMode.MAIL) {
            return refuse(new TftpException(ErrorCode.ILLEGAL_OPERATION, "ILLEGAL_OPERATION mode mail"), request);
        }
        Direction direction = request instanceof ReadRequest ? Direction.GET : Direction.PUT;
        if (direction == Direction.PUT && config.writes() == WritePolicy.READ_ONLY) {
            return refuse(new TftpException(ErrorCode.ACCESS_VIOLATION,
                    "ACCESS_VIOLATION server is read-only"), request);
        }
        Permit permit;
        switch (limiter.admit(from.getAddress())) {
            case Admitted(Permit p) -> permit = p;
            case Refused(var rejection) -> {
                return new Reply(new TftpError(ErrorCode.NOT_DEFINED, BUSY),
                        "busy (" + rejection.reason() + ") " + RootJail.quote(request.filename()));
            }
        }
        try {
            TransferPlan plan = plan(from, request, direction, permit);
            return new Start(plan);
        } catch (TftpException e) {
            permit.close();
            return refuse(e, request);
        } catch (IOException | RuntimeException e) {
            permit.close();
            return refuse(new TftpException(ErrorCode.NOT_DEFINED, "NOT_DEFINED " + e, e), request);
        }
    }

    private TransferPlan plan(InetSocketAddress from, TransferRequest request, Direction direction, Permit permit)
            throws IOException {
        String name = config.remap().apply(request.filename(), direction);
        RootJail.Target path;
        OptionalLong size = OptionalLong.empty();
        if (direction == Direction.GET) {
            RootJail.Readable found = jail.resolveForRead(name);
            path = found.target();
            if (request.mode() == TransferMode.OCTET) {
                size = OptionalLong.of(found.size()); // netascii changes the size on the wire
            }
        } else {
            path = jail.resolveForWrite(name, config.writes() == WritePolicy.CREATE_FILES);
        }
        Negotiation negotiation = optionPolicy.negotiate(request, size);
        var agreed = negotiation.agreed();
        if ((long) (agreed.blockSize() + 4) * agreed.windowSize() > MAX_WINDOW_BYTES) {
            // The sender keeps a window in memory; RFC 7440 lets the server answer a smaller one.
            int window = Math.max(1, MAX_WINDOW_BYTES / (agreed.blockSize() + 4));
            negotiation = new ServerOptionPolicy(agreed.blockSize(), window, optionPolicy.maxTimeoutSeconds()).negotiate(request, size);
        }
        if (request instanceof WriteRequest && negotiation.agreed().transferSize().isPresent()
                && negotiation.agreed().transferSize().getAsLong() > config.maxUploadSize()) {
            // RFC 2349: the server may refuse a WRQ whose tsize it cannot take, before any data.
            throw new TftpException(ErrorCode.DISK_FULL, "DISK_FULL tsize "
                    + negotiation.agreed().transferSize().getAsLong() + " exceeds --max-upload-size");
        }
        return new TransferPlan(from, request, direction, path, negotiation, permit);
    }

    /** The wire says only the standard description; the log line says why. */
    private static Reply refuse(TftpException e, TransferRequest request) {
        String wire = e.code() == ErrorCode.ILLEGAL_OPERATION && request.mode() == TransferMode.MAIL
                ? MAIL : e.code().description();
        String name = RootJail.quote(request.filename());
        String reason = e.getMessage().contains(name) ? e.getMessage() : e.getMessage() + " (asked " + name + ")";
        return new Reply(new TftpError(e.code(), wire), reason);
    }
}
