package dev.protokit.tftp.client;

import dev.protokit.tftp.engine.BlockSink;
import dev.protokit.tftp.engine.BlockSource;
import dev.protokit.tftp.engine.FileBlockSink;
import dev.protokit.tftp.engine.FileBlockSource;
import dev.protokit.tftp.engine.NetasciiBlockSink;
import dev.protokit.tftp.engine.NetasciiBlockSource;
import dev.protokit.tftp.engine.StreamBlockSink;
import dev.protokit.tftp.engine.StreamBlockSource;
import dev.protokit.tftp.wire.ClientOptions;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TransferMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A TFTP client for one server: {@code get} reads a remote file, {@code put} writes one. Each
 * call is one transfer on its own socket (its TID), run on the calling thread. Options are
 * asked for only when set on the {@link Builder}; a server that ignores them is served plain
 * RFC 1350 (512-byte lock-step). Instances are immutable and safe to share between threads.
 *
 * <pre>{@code
 * TftpClient client = TftpClient.builder(new InetSocketAddress("::1", 6969))
 *         .blockSize(1468).windowSize(64).build();
 * client.get("boot.img", Path.of("boot.img"));
 * }</pre>
 *
 * <p>Failures are a {@link TftpException} (the server's ERROR, a protocol violation, or the
 * retries running out; the message is one line fit for a user) or an {@link IOException}.
 */
public final class TftpClient {
    private final Settings settings;

    private TftpClient(Settings settings) {
        this.settings = settings;
    }

    /** A builder for a client talking to {@code server} (port 69 is the standard one). */
    public static Builder builder(InetSocketAddress server) {
        return new Builder(server);
    }

    /** The server this client talks to. */
    public InetSocketAddress server() {
        return settings.server();
    }

    /**
     * Reads {@code remote} into {@code local} atomically: the data goes to a temporary file in
     * the same directory, which is fsynced and renamed over {@code local} only on success and
     * deleted on failure, so a failed get never leaves a partial file.
     */
    public TransferResult get(String remote, Path local) throws IOException {
        try (AtomicFile file = AtomicFile.create(local)) {
            TransferResult result = get(remote, new FileBlockSink(file.channel(), false));
            file.commit();
            return result;
        }
    }

    /** Reads {@code remote} into a stream, which is flushed but not closed. */
    public TransferResult get(String remote, OutputStream out) throws IOException {
        return get(remote, new StreamBlockSink(out));
    }

    /** Writes the file {@code local} to the server as {@code remote}. */
    public TransferResult put(Path local, String remote) throws IOException {
        try (FileChannel file = FileChannel.open(local, StandardOpenOption.READ)) {
            return put(new FileBlockSource(file), remote);
        }
    }

    /** Writes a stream's contents to the server as {@code remote}; the stream is not closed. */
    public TransferResult put(InputStream in, String remote) throws IOException {
        return put(new StreamBlockSource(in), remote);
    }

    private TransferResult get(String remote, BlockSink sink) throws IOException {
        BlockSink wire = settings.mode() == TransferMode.NETASCII ? new NetasciiBlockSink(sink) : sink;
        ClientOptions options = settings.options(settings.tsize() ? OptionalLong.of(0) : OptionalLong.empty());
        return new Exchange(settings, remote, options).read(wire);
    }

    private TransferResult put(BlockSource source, String remote) throws IOException {
        boolean netascii = settings.mode() == TransferMode.NETASCII;
        // RFC 2349: a WRQ announces the size it will send; after netascii conversion it is unknown.
        OptionalLong size = settings.tsize() && !netascii ? source.size() : OptionalLong.empty();
        BlockSource wire = netascii ? new NetasciiBlockSource(source) : source;
        return new Exchange(settings, remote, settings.options(size)).write(wire);
    }

    /** Everything a transfer needs to know, fixed when the client is built. */
    record Settings(InetSocketAddress server, TransferMode mode, OptionalInt blockSize,
                    OptionalInt windowSize, OptionalInt timeoutOption, Duration timeout,
                    int retries, boolean tsize, boolean connect, Duration linger,
                    ProgressListener listener) {
        ClientOptions options(OptionalLong transferSize) {
            return new ClientOptions(blockSize, windowSize, timeoutOption, transferSize);
        }
    }

    /** Configures a {@link TftpClient}. Defaults: octet, no options, 1 s timeout, 5 retries. */
    public static final class Builder {
        private final InetSocketAddress server;
        private TransferMode mode = TransferMode.OCTET;
        private OptionalInt blockSize = OptionalInt.empty();
        private OptionalInt windowSize = OptionalInt.empty();
        private OptionalInt timeoutOption = OptionalInt.empty();
        private Duration timeout = Duration.ofSeconds(1);
        private int retries = 5;
        private boolean tsize;
        private boolean connect;
        private Duration linger;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder(InetSocketAddress server) {
            this.server = Objects.requireNonNull(server, "server");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("unresolved server address " + server);
            }
        }

        /** netascii or octet; mail is refused. */
        public Builder mode(TransferMode value) {
            if (value == TransferMode.MAIL) {
                throw new TftpException(ErrorCode.ILLEGAL_OPERATION, "ILLEGAL_OPERATION mode mail");
            }
            mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /** Asks for RFC 2348 blksize (8..65464). */
        public Builder blockSize(int value) {
            blockSize = OptionalInt.of(value);
            return this;
        }

        /** Asks for RFC 7440 windowsize (1..65535; above 32767 it is asked as 32767, see {@link dev.protokit.tftp.wire.NegotiatedOptions#MAX_WINDOW}). */
        public Builder windowSize(int value) {
            windowSize = OptionalInt.of(value);
            return this;
        }

        /** Asks for RFC 2349 timeout (1..255 s) and uses it locally too. */
        public Builder timeoutOption(int seconds) {
            timeoutOption = OptionalInt.of(seconds);
            timeout = Duration.ofSeconds(seconds);
            return this;
        }

        /** The local first retransmission timeout when none is negotiated. */
        public Builder timeout(Duration value) {
            timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        /** Retransmissions in a row without progress before giving up. */
        public Builder retries(int value) {
            retries = value;
            return this;
        }

        /** Asks for RFC 2349 tsize: the file size on get, announces it on put. */
        public Builder transferSize(boolean value) {
            tsize = value;
            return this;
        }

        /**
         * Connect the socket to the server's TID once it is known: slightly cheaper sends and
         * receives, and the kernel drops strays. Default false: the socket stays unconnected so
         * a stray packet is answered with ERROR 5 (RFC 1350 section 4), as the RFC describes.
         */
        public Builder connect(boolean value) {
            connect = value;
            return this;
        }

        /** How long a get stays after its final ACK to re-ACK a repeated last block (default: the timeout). */
        public Builder linger(Duration value) {
            linger = Objects.requireNonNull(value, "linger");
            return this;
        }

        /** Receives the size and progress of each transfer. */
        public Builder listener(ProgressListener value) {
            listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** The client; option values are checked here. */
        public TftpClient build() {
            var settings = new Settings(server, mode, blockSize, windowSize, timeoutOption, timeout,
                    retries, tsize, connect, linger == null ? timeout : linger, listener);
            settings.options(OptionalLong.empty()); // validates ranges now, not at the first transfer
            return new TftpClient(settings);
        }
    }
}
