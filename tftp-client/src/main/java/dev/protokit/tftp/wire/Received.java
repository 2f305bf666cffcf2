package dev.protokit.tftp.wire;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A packet together with the address it came from. The address is the peer's transfer ID
 * (RFC 1350 section 4) and travels beside the packet, never inside it.
 *
 * @param from   the sender's address and port
 * @param packet the decoded packet
 * @param <T>    the packet type
 */
public record Received<T extends TftpPacket>(InetSocketAddress from, T packet) {
    /** Requires both parts. */
    public Received {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(packet, "packet");
    }
}
