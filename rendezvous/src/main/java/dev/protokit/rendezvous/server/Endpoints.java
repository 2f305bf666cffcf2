package dev.protokit.rendezvous.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's local UDP endpoints: the primary address and port, and with an alternate address
 * (RFC 5780) the four combinations of {primary, alternate} address x {primary, primary + 1}
 * port, so a CHANGE-REQUEST can be answered from any of them.
 *
 * @param primary   the primary address and port (the real port once bound)
 * @param alternate the second local address, if any
 * @param altPort   the alternate port (primary + 1 unless bound otherwise)
 */
public record Endpoints(InetSocketAddress primary, Optional<InetAddress> alternate, int altPort) {
    /** Requires the parts. */
    public Endpoints {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(alternate, "alternate");
    }

    /** Whether RFC 5780 behaviour discovery is available. */
    public boolean discovery() {
        return alternate.isPresent();
    }

    /** Every endpoint, primary first. */
    public List<InetSocketAddress> all() {
        var out = new ArrayList<InetSocketAddress>(4);
        out.add(primary);
        alternate.ifPresent(alt -> {
            out.add(new InetSocketAddress(primary.getAddress(), altPort));
            out.add(new InetSocketAddress(alt, primary.getPort()));
            out.add(new InetSocketAddress(alt, altPort));
        });
        return out;
    }

    /** The endpoint that answers a request received on {@code local} via {@code via}. */
    public InetSocketAddress answering(InetSocketAddress local, Via via) {
        if (alternate.isEmpty() || via == Via.SAME) {
            return local;
        }
        boolean onAltIp = !local.getAddress().equals(primary.getAddress());
        boolean onAltPort = local.getPort() != primary.getPort();
        InetAddress ip = onAltIp != via.changeIp() ? alternate.get() : primary.getAddress();
        int port = onAltPort != via.changePort() ? altPort : primary.getPort();
        return new InetSocketAddress(ip, port);
    }

    /** OTHER-ADDRESS for a request received on {@code local}: the endpoint differing in both. */
    public Optional<InetSocketAddress> other(InetSocketAddress local) {
        return alternate.map(a -> answering(local, Via.CHANGE_BOTH));
    }
}
