package dev.protokit.common.daemon;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formats socket addresses for log lines: {@code 192.0.2.1:69}, {@code [2001:db8::1]:69}. */
public final class Addresses {
    private Addresses() {}

    /** {@code host:port}, with IPv6 literals in brackets and no reverse DNS lookup. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }

    /**
     * The key under which limits and failure counts are kept for {@code ip}: an IPv4 address
     * (IPv4-mapped IPv6 included) as itself, an IPv6 address as its /64 network. One IPv6 host
     * usually holds a whole /64, so counting single addresses would let it rotate through
     * 2^64 of them to escape a per-address limit or a lockout.
     */
    public static InetAddress limitKey(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] bytes = ip.getAddress();
            java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are always an IPv6 address", e);
            }
        }
        return ip;
    }

    /** The address without the port, IPv6 without brackets. */
    public static String host(InetAddress ip) {
        return ip.getHostAddress();
    }
}
