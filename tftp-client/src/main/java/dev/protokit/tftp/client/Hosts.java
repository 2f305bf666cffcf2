package dev.protokit.tftp.client;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.HostPort;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and prints {@code HOST[:PORT]} with TFTP's default port, through common's {@link HostPort}. */
final class Hosts {
    /** The standard TFTP port (RFC 1350). */
    static final int DEFAULT_PORT = 69;

    private Hosts() {}

    /** {@link HostPort#parse} with port 69 by default. */
    static InetSocketAddress parse(String value) throws UnknownHostException {
        return HostPort.parse(value, DEFAULT_PORT);
    }

    /** {@code 127.0.0.1:69} or {@code [::1]:69}. */
    static String format(InetSocketAddress address) {
        return Addresses.format(address);
    }
}
