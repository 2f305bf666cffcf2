package dev.protokit.chat.server;

import dev.protokit.common.daemon.AddressLimiter;
import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.LogThrottle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.SelectorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --max-per-address} for the web listener's TCP connections, checked as Jetty accepts
 * them: Jetty's own {@code NetworkConnectionLimit} counts connections overall only, so one
 * address holding idle or half-open TLS connections could take every place and starve every
 * other client. An address gets {@link #BROWSER_CONNECTIONS} places beyond its sessions, for a
 * browser's parallel page loads and so that a WebSocket past the session limit still gets its
 * IRC {@code ERROR} (which {@link WebListener} writes) instead of a silent close here.
 */
final class WebConnectionLimit implements SelectorManager.AcceptListener {
    /** Connections a browser opens to one host at once for a page (Chrome and Firefox: 6). */
    static final int BROWSER_CONNECTIONS = 6;
    private static final Logger LOG = LoggerFactory.getLogger("chat-server-web");

    private final AddressLimiter limiter;
    private final Map<SelectableChannel, AddressLimiter.Permit> permits = new ConcurrentHashMap<>();
    private final LogThrottle refusals = LogThrottle.perPeerEvents();

    WebConnectionLimit(ConnectionLimits sessions) {
        this.limiter = new AddressLimiter(new ConnectionLimits(Integer.MAX_VALUE,
                (int) Math.min(Integer.MAX_VALUE, (long) sessions.maxPerAddress() + BROWSER_CONNECTIONS)));
    }

    @Override
    public void onAccepted(SelectableChannel channel) {
        if (!(channel instanceof SocketChannel socket)) {
            return;
        }
        try {
            var peer = (InetSocketAddress) socket.getRemoteAddress();
            switch (limiter.admit(peer.getAddress())) {
                case AddressLimiter.Admitted(var permit) -> permits.put(channel, permit);
                case AddressLimiter.Refused(var rejection) -> {
                    refusals.admit().ifPresent(left -> LOG.warn("web: refused connection from {}: {}{}",
                            dev.protokit.common.daemon.Addresses.format(peer), rejection.reason(), LogThrottle.suffix(left)));
                    socket.close(); // Jetty's endpoint fails at its first read and is released
                }
            }
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        AddressLimiter.Permit permit = permits.remove(channel);
        if (permit != null) {
            permit.close();
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
