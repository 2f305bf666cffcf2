package dev.protokit.tftp.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local ports transfer sockets may use ({@code --port-range LOW-HIGH}, for firewalls), or
 * {@link #ANY} to let the kernel choose. A transfer's port is its server TID; RFC 1350 section 4
 * asks that TIDs be chosen at random, and a random port also keeps a blind spoofer from
 * guessing where to send a forged ACK, so the search starts at a random point of the range.
 *
 * @param low first port, 1..65535, or 0 with {@code high} 0 for "any"
 * @param high last port, at least {@code low}
 */
public record PortRange(int low, int high) {
    /** Any free port, chosen by the kernel. */
    public static final PortRange ANY = new PortRange(0, 0);

    public PortRange {
        boolean any = low == 0 && high == 0;
        if (!any && (low < 1 || high > 65535 || low > high)) {
            throw new IllegalArgumentException("port range must be LOW-HIGH within 1-65535, got " + low + "-" + high);
        }
    }

    /** Parses {@code LOW-HIGH}, e.g. {@code 50000-50999}. */
    public static PortRange parse(String text) {
        String[] parts = text.strip().split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("port range must be LOW-HIGH, got '" + text + "'");
        }
        try {
            return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port range must be LOW-HIGH, got '" + text + "'", e);
        }
    }

    /** Number of ports in the range (0 for {@link #ANY}). */
    public int size() {
        return low == 0 ? 0 : high - low + 1;
    }

    /**
     * A new UDP socket on {@code address} with a port from this range, or empty when every port
     * of the range is taken (the caller answers "server busy").
     */
    public Optional<DatagramChannel> bind(InetAddress address) throws IOException {
        if (size() == 0) {
            return Optional.of(open(new InetSocketAddress(address, 0)));
        }
        int start = ThreadLocalRandom.current().nextInt(size());
        for (int i = 0; i < size(); i++) {
            int port = low + (start + i) % size();
            try {
                return Optional.of(open(new InetSocketAddress(address, port)));
            } catch (BindException inUse) {
                // taken by another transfer or program: try the next one
            }
        }
        return Optional.empty();
    }

    private static DatagramChannel open(InetSocketAddress local) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            return channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return size() == 0 ? "any" : low + "-" + high;
    }
}
