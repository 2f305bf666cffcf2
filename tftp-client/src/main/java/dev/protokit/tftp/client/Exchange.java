package dev.protokit.tftp.client;

import dev.protokit.tftp.engine.BlockSink;
import dev.protokit.tftp.engine.BlockSource;
import dev.protokit.tftp.engine.Receiver;
import dev.protokit.tftp.engine.Sender;
import dev.protokit.tftp.engine.TransferChannel;
import dev.protokit.tftp.engine.TransferParameters;
import dev.protokit.tftp.engine.TransferStats;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.ClientOptions;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.NegotiatedOptions;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import dev.protokit.tftp.wire.TransferMode;
import java.util.OptionalLong;

/**
 * One client transfer: sends the RRQ or WRQ, waits for the server's first reply (whose source
 * port becomes the server's TID), settles the options, and hands over to the engine.
 */
final class Exchange {
    private final TftpClient.Settings settings;
    private final String remote;
    private final ClientOptions options;

    Exchange(TftpClient.Settings settings, String remote, ClientOptions options) {
        this.settings = settings;
        this.remote = remote;
        this.options = options;
    }

    /** RRQ: an OACK is answered with ACK 0 (RFC 2347), DATA 1 means the options were ignored. */
    TransferResult read(BlockSink sink) throws IOException {
        var request = new ReadRequest(remote, settings.mode(), options.toWire());
        try (TransferChannel channel = open()) {
            TftpPacket reply = request(channel, request);
            if (refusedOptions(reply)) {
                return withoutOptions().read(sink);
            }
            switch (reply) {
                case OptionAck oack -> {
                    NegotiatedOptions agreed = negotiate(channel, oack, false);
                    Receiver receiver = new Receiver(channel, parameters(agreed), this::progress);
                    // RFC 2349: the announced size is what must arrive, byte for byte (octet only:
                    // netascii changes the length on the wire).
                    BlockSink checked = agreed.transferSize().isPresent() && settings.mode() == TransferMode.OCTET
                            ? new ExpectedSizeSink(sink, agreed.transferSize().getAsLong()) : sink;
                    return new TransferResult(agreed, receiver.receive(checked, new Ack(0)));
                }
                case Data first when first.block() == 1 && first.length() <= 512 -> {
                    settings.listener().started(OptionalLong.empty());
                    var agreed = NegotiatedOptions.DEFAULTS;
                    Receiver receiver = new Receiver(channel, parameters(agreed), this::progress);
                    return new TransferResult(agreed, receiver.continueFrom(first, sink));
                }
                default -> throw unexpected(channel, reply, "OACK or DATA 1");
            }
        }
    }

    /** WRQ: an OACK or ACK 0 (options ignored) means the server is ready for DATA 1. */
    TransferResult write(BlockSource source) throws IOException {
        var request = new WriteRequest(remote, settings.mode(), options.toWire());
        try (TransferChannel channel = open()) {
            TftpPacket reply = request(channel, request);
            if (refusedOptions(reply)) {
                return withoutOptions().write(source);
            }
            NegotiatedOptions agreed = switch (reply) {
                case OptionAck oack -> negotiate(channel, oack, true);
                case Ack ack when ack.block() == 0 -> {
                    settings.listener().started(source.size());
                    yield NegotiatedOptions.DEFAULTS;
                }
                default -> throw unexpected(channel, reply, "OACK or ACK 0");
            };
            Sender sender = new Sender(channel, parameters(agreed), this::progress);
            TransferStats stats = sender.send(source);
            return new TransferResult(agreed, stats);
        }
    }

    /**
     * RFC 2347: a server may refuse options with ERROR 8 (tftpd-hpa does for tsize on a
     * netascii read); the request is then repeated once without options, from a new TID.
     */
    private boolean refusedOptions(TftpPacket reply) {
        return reply instanceof TftpError error && error.code() == ErrorCode.OPTION_NEGOTIATION_FAILED
                && !options.toWire().isEmpty();
    }

    private Exchange withoutOptions() {
        return new Exchange(settings, remote, ClientOptions.NONE);
    }

    private TransferChannel open() throws IOException {
        var family = settings.server().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel socket = DatagramChannel.open(family);
        try {
            socket.bind(null);
            return TransferChannel.awaitingReply(socket, settings.server(), settings.connect());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends the request until a reply arrives from the server's host, retransmitting on timeouts. */
    private TftpPacket request(TransferChannel channel, TftpPacket request) throws IOException {
        ByteBuffer encoded = TftpCodec.encode(request);
        ByteBuffer in = ByteBuffer.allocate(TftpCodec.MAX_PACKET + 1);
        channel.send(encoded.duplicate());
        for (int attempt = 0; ; ) {
            // Never longer than the timeout (the peer's own patience is about that long).
            if (channel.receive(in, settings.timeout().toNanos()) >= 0) {
                try {
                    return TftpCodec.decode(in);
                } catch (TftpException e) {
                    channel.sendError(TftpError.of(e));
                    throw e;
                }
            }
            if (attempt++ >= settings.retries()) {
                throw new TftpException(ErrorCode.NOT_DEFINED, "no answer from "
                        + Hosts.format(settings.server()) + " after " + settings.retries() + " retries");
            }
            channel.send(encoded.duplicate());
        }
    }

    /** RFC 2347: an OACK the client cannot accept is answered with ERROR 8 and ends the transfer. */
    private NegotiatedOptions negotiate(TransferChannel channel, OptionAck oack, boolean write) {
        try {
            NegotiatedOptions agreed = options.accept(oack, write);
            settings.listener().started(agreed.transferSize());
            return agreed;
        } catch (TftpException e) {
            channel.sendError(new TftpError(ErrorCode.OPTION_NEGOTIATION_FAILED, e.getMessage()));
            throw e;
        }
    }

    private TransferParameters parameters(NegotiatedOptions agreed) {
        return TransferParameters.of(agreed, settings.timeout(), settings.retries())
                .withLinger(settings.linger());
    }

    private void progress(long bytes) {
        settings.listener().progress(bytes);
    }

    private static TftpException unexpected(TransferChannel channel, TftpPacket reply, String expecting) {
        if (reply instanceof TftpError error) {
            return new TftpException(error.code(), error.code().description()
                    + " (server error " + error.code().wireValue() + ": " + error.message() + ")");
        }
        var e = new TftpException(ErrorCode.ILLEGAL_OPERATION,
                "ILLEGAL_OPERATION " + reply.opcode() + " while expecting " + expecting);
        channel.sendError(TftpError.of(e));
        return e;
    }

}
