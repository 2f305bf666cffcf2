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

    /** The address without the port, IPv6 without brackets. */
    public static String host(InetAddress ip) {
        return ip.getHostAddress();
    }
}
