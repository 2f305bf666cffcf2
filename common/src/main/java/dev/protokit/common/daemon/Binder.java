package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;

/**
 * Opens listening sockets and turns the kernel's terse bind errors into sentences an operator
 * can act on ("udp port 69 needs root or CAP_NET_BIND_SERVICE"). The sentences name the
 * protocol, address and port but not the program: {@link DaemonLauncher} puts its name first.
 */
public final class Binder {
    private static final int BACKLOG = 1024;

    private Binder() {}

    /** A TCP listening socket on {@code address}; {@code what} names the service in errors. */
    public static ServerSocket bindTcp(InetSocketAddress address, String what) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw explain(e, address, what, "tcp");
        }
    }

    /** A TCP listening channel (accepted sockets have channels, for zero-copy transfers). */
    public static ServerSocketChannel bindTcpChannel(InetSocketAddress address, String what) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw explain(e, address, what, "tcp");
        }
    }

    /** A UDP socket bound to {@code address}. */
    public static DatagramChannel bindUdp(InetSocketAddress address, String what) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.bind(address);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw explain(e, address, what, "udp");
        }
    }

    static StartupException explain(IOException e, InetSocketAddress address, String what, String protocol) {
        String where = Addresses.format(address);
        String detail = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        String message;
        if (e instanceof BindException && detail.contains("permission denied")) {
            message = "%s port %d needs root or CAP_NET_BIND_SERVICE (or choose a port >= 1024 with --port)"
                    .formatted(protocol, address.getPort());
        } else if (e instanceof BindException && detail.contains("in use")) {
            message = "%s %s is already in use (is another server running?)".formatted(protocol, where);
        } else if (detail.contains("cannot assign requested address")) {
            message = "%s is not an address of this host (check --bind)".formatted(where);
        } else {
            message = "cannot listen on %s %s for %s: %s".formatted(protocol, where, what, e.getMessage());
        }
        return new StartupException(message, e);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the bind error is the one to report
            }
        }
    }
}
