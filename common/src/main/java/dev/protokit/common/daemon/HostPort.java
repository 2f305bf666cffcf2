package dev.protokit.common.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses the {@code HOST[:PORT]} every client takes, with IPv6 literals in brackets
 * ({@code [::1]:6969}); {@link Addresses#format} prints it back.
 */
public final class HostPort {
    private HostPort() {}

    /**
     * Resolves {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}, or a bare IPv6
     * literal (more than one colon, no port); without a port, {@code defaultPort}.
     *
     * @throws IllegalArgumentException for a malformed value or port
     * @throws UnknownHostException when the name does not resolve
     */
    public static InetSocketAddress parse(String value, int defaultPort) throws UnknownHostException {
        String host = value;
        int port = defaultPort;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in " + value);
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected :PORT after ']' in " + value);
                }
                port = port(rest.substring(1), value);
            }
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            host = value.substring(0, value.indexOf(':'));
            port = port(value.substring(value.indexOf(':') + 1), value);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in " + value);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static int port(String text, String whole) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("bad port '" + text + "' in " + whole);
    }
}
