package dev.protokit.tftp.wire;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The server's half of RFC 2347: which requested options to acknowledge and with what values.
 * Unknown options and options with unparseable or out-of-range values are ignored (not
 * acknowledged), so the client falls back to the default, as RFC 2347 allows; the one exception
 * is a blksize above RFC 2348's 65464, which is granted the server's largest (as tftpd-hpa
 * does). blksize and windowsize are lowered to the server's limits (RFC 2348, RFC 7440;
 * windowsize never above {@link NegotiatedOptions#MAX_WINDOW}); timeout is echoed (RFC 2349)
 * up to a limit; tsize is answered with the file size on a read and echoed on a write.
 *
 * @param maxBlockSize  the largest blksize to grant, 8..65464
 * @param maxWindowSize the largest windowsize to grant, 1..65535
 * @param maxTimeoutSeconds the longest timeout to accept, 1..255; RFC 2349 lets the server only
 *     echo the client's value, so a longer one is not acknowledged (the server's own applies)
 */
public record ServerOptionPolicy(int maxBlockSize, int maxWindowSize, int maxTimeoutSeconds) {
    /** Grants anything valid: 65464-byte blocks, 65535-block windows, 255 s timeouts. */
    public static final ServerOptionPolicy PERMISSIVE = new ServerOptionPolicy(65464, 65535, 255);

    /** Limits on blksize and windowsize; any valid timeout is accepted. */
    public ServerOptionPolicy(int maxBlockSize, int maxWindowSize) {
        this(maxBlockSize, maxWindowSize, 255);
    }

    /** Checks the limits are valid option values. */
    public ServerOptionPolicy {
        if (TftpOption.BLKSIZE.parse(Integer.toString(maxBlockSize)).isEmpty()
                || TftpOption.WINDOWSIZE.parse(Integer.toString(maxWindowSize)).isEmpty()) {
            throw new IllegalArgumentException("limits out of range: blksize " + maxBlockSize
                    + ", windowsize " + maxWindowSize);
        }
        if (maxTimeoutSeconds < 1 || maxTimeoutSeconds > 255) {
            throw new IllegalArgumentException("maxTimeoutSeconds out of 1..255: " + maxTimeoutSeconds);
        }
    }

    /** The outcome: the values to run with, and the OACK to send (empty: answer as RFC 1350). */
    public record Negotiation(NegotiatedOptions agreed, Optional<OptionAck> reply) {}

    /**
     * Negotiates a request's options.
     *
     * @param request  the RRQ or WRQ
     * @param fileSize on a read, the size of the file to send, if known (answers tsize)
     */
    public Negotiation negotiate(TransferRequest request, OptionalLong fileSize) {
        var ack = new LinkedHashMap<String, String>();
        int block = 512;
        int window = 1;
        OptionalInt timeout = OptionalInt.empty();
        OptionalLong size = OptionalLong.empty();
        boolean read = request instanceof ReadRequest;
        for (var e : request.options().values().entrySet()) {
            Optional<TftpOption> known = TftpOption.fromWire(e.getKey());
            if (known.isEmpty()) {
                continue; // RFC 2347: unrecognized options are ignored
            }
            // RFC 2348 bounds blksize to 65464; a larger request gets our largest, as tftpd-hpa does.
            OptionalLong parsed = known.get() == TftpOption.BLKSIZE
                    ? known.get().parseCapped(e.getValue()) : known.get().parse(e.getValue());
            if (parsed.isEmpty()) {
                continue;
            }
            long v = parsed.getAsLong();
            switch (known.get()) {
                case BLKSIZE -> {
                    block = (int) Math.min(v, maxBlockSize);
                    ack.put("blksize", Integer.toString(block));
                }
                case WINDOWSIZE -> {
                    window = (int) Math.min(Math.min(v, maxWindowSize), NegotiatedOptions.MAX_WINDOW);
                    ack.put("windowsize", Integer.toString(window));
                }
                case TIMEOUT -> {
                    if (v > maxTimeoutSeconds) {
                        continue;
                    }
                    timeout = OptionalInt.of((int) v);
                    ack.put("timeout", Long.toString(v));
                }
                case TSIZE -> {
                    OptionalLong announced = read ? fileSize : OptionalLong.of(v);
                    if (announced.isPresent()) {
                        size = announced;
                        ack.put("tsize", Long.toString(announced.getAsLong()));
                    }
                }
            }
        }
        var agreed = new NegotiatedOptions(block, window, timeout, size);
        return new Negotiation(agreed, ack.isEmpty()
                ? Optional.empty() : Optional.of(new OptionAck(new TftpOptions(ack))));
    }
}
