package dev.protokit.tftp.client;

import dev.protokit.tftp.engine.BlockSink;
import dev.protokit.tftp.engine.BlockSource;
import dev.protokit.tftp.engine.NetasciiBlockSink;
import dev.protokit.tftp.engine.NetasciiBlockSource;
import dev.protokit.tftp.engine.Receiver;
import dev.protokit.tftp.engine.Sender;
import dev.protokit.tftp.engine.StreamBlockSink;
import dev.protokit.tftp.engine.StreamBlockSource;
import dev.protokit.tftp.engine.TransferChannel;
import dev.protokit.tftp.engine.TransferListener;
import dev.protokit.tftp.engine.TransferParameters;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.NegotiatedOptions;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.ServerOptionPolicy;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.TransferRequest;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small in-memory TFTP server built on the engine, for client tests (the real daemon lives in
 * tftp-server). {@code honorOptions=false} makes it ignore every option, like an RFC 1350-only
 * server.
 */
final class TestServer implements AutoCloseable {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final CopyOnWriteArrayList<Throwable> failures = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<TransferRequest> requests = new CopyOnWriteArrayList<>();
    private final DatagramChannel listener;
    private final boolean honorOptions;
    private final ServerOptionPolicy policy;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("test-server-", 0).factory());

    TestServer(InetAddress address, boolean honorOptions) throws IOException {
        this(address, honorOptions, ServerOptionPolicy.PERMISSIVE);
    }

    TestServer(InetAddress address, boolean honorOptions, ServerOptionPolicy policy) throws IOException {
        this.honorOptions = honorOptions;
        this.policy = policy;
        var family = address instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        listener = DatagramChannel.open(family).bind(new InetSocketAddress(address, 0));
        threads.submit(this::listen);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private Void listen() {
        ByteBuffer in = ByteBuffer.allocate(TftpCodec.MAX_PACKET);
        while (listener.isOpen()) {
            try {
                in.clear();
                var from = (InetSocketAddress) listener.receive(in);
                TftpPacket packet = TftpCodec.decode(in.flip());
                if (packet instanceof TransferRequest request) {
                    requests.add(request);
                    threads.submit(() -> serve(from, request));
                }
            } catch (IOException e) {
                return null; // closed
            } catch (TftpException e) {
                failures.add(e);
            }
        }
        return null;
    }

    private Void serve(InetSocketAddress client, TransferRequest request) throws IOException {
        var family = client.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel socket = DatagramChannel.open(family).bind(new InetSocketAddress(listener.socket().getLocalAddress(), 0));
        try (var channel = TransferChannel.open(socket, client, false)) {
            if (request.mode() == TransferMode.MAIL) {
                channel.sendError(new TftpError(ErrorCode.ILLEGAL_OPERATION, "mail mode is not supported"));
                return null;
            }
            byte[] content = files.get(request.filename());
            if (request instanceof ReadRequest && content == null) {
                channel.sendError(new TftpError(ErrorCode.FILE_NOT_FOUND, "no " + request.filename()));
                return null;
            }
            var negotiation = honorOptions
                    ? policy.negotiate(request, content == null ? OptionalLong.empty() : OptionalLong.of(content.length))
                    : new ServerOptionPolicy.Negotiation(NegotiatedOptions.DEFAULTS, Optional.empty());
            var params = TransferParameters.of(negotiation.agreed(), Duration.ofMillis(200), 5);
            boolean netascii = request.mode() == TransferMode.NETASCII;
            if (request instanceof ReadRequest) {
                BlockSource source = new StreamBlockSource(new ByteArrayInputStream(content));
                source = netascii ? new NetasciiBlockSource(source) : source;
                var sender = new Sender(channel, params, TransferListener.NONE);
                if (negotiation.reply().isPresent()) {
                    sender.send(source, negotiation.reply().get());
                } else {
                    sender.send(source);
                }
            } else if (request instanceof WriteRequest) {
                var out = new ByteArrayOutputStream();
                BlockSink sink = netascii ? new NetasciiBlockSink(new StreamBlockSink(out)) : new StreamBlockSink(out);
                new Receiver(channel, params, TransferListener.NONE)
                        .receive(sink, negotiation.reply().<TftpPacket>map(o -> o).orElse(new Ack(0)));
                files.put(request.filename(), out.toByteArray());
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
