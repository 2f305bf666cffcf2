package dev.protokit.chat.server;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The web listener's slowloris defence: a connection must finish its TLS handshake and the
 * headers of a request within {@code deadline} of being accepted, and the headers of each next
 * request within {@code deadline} of the previous response. Jetty's idle timeout restarts with
 * every byte, so without this a client sending a header line a second held its place for as long
 * as Jetty's 8 KiB header limit allowed (about 23 minutes).
 *
 * <pre>
 *   accepted ──armed──> headers parsed (handle) ──disarmed──> response done ──armed──> ...
 *      └── deadline passes while armed: the socket is closed
 *   a WebSocket upgrade is never armed again: the IRC session's own timeouts take over
 * </pre>
 *
 * Keyed by the accepted {@code SocketChannel}: the transport of a plain endpoint, and of the
 * network endpoint under a TLS one. Install it as the connector's accept listener and as the
 * outermost handler.
 */
final class HeaderDeadline extends Handler.Wrapper implements SelectorManager.AcceptListener {
    private final Scheduler scheduler;
    private final Duration deadline;
    private final Map<Object, Armed> armed = new ConcurrentHashMap<>();

    HeaderDeadline(Handler next, Scheduler scheduler, Duration deadline) {
        super(next);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public void onAccepted(SelectableChannel channel) {
        arm(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        disarm(channel);
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        disarm(channel);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Object transport = networkTransport(request.getConnectionMetaData().getConnection().getEndPoint());
        disarm(transport);
        if ("websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            return super.handle(request, response, callback);
        }
        boolean handled = super.handle(request, response, Callback.from(callback, () -> arm(transport)));
        if (!handled) {
            arm(transport); // Jetty answers 404 at once on its own callback
        }
        return handled;
    }

    /** The accepted socket under {@code endPoint}: a TLS endpoint's transport is not the socket. */
    private static Object networkTransport(EndPoint endPoint) {
        EndPoint e = endPoint;
        while (e instanceof SslConnection.SslEndPoint tls) {
            e = tls.getSslConnection().getEndPoint();
        }
        return e.getTransport();
    }

    private void arm(Object transport) {
        if (transport instanceof SelectableChannel channel && channel.isOpen()) {
            var armedNow = new Armed();
            Armed old = armed.put(channel, armedNow);
            if (old != null) {
                old.cancel();
            }
            armedNow.task = scheduler.schedule(() -> expire(channel, armedNow), deadline);
        }
    }

    private void disarm(Object transport) {
        Armed was = armed.remove(transport);
        if (was != null) {
            was.cancel();
        }
    }

    /** Closes {@code channel} if {@code expired} is still its deadline (not disarmed or re-armed since). */
    private void expire(SelectableChannel channel, Armed expired) {
        if (armed.remove(channel, expired)) {
            try {
                channel.close(); // Jetty's endpoint fails at its next read and is released
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** One arming: its task is set right after it is published, so a disarm may find it unset. */
    private static final class Armed {
        volatile Scheduler.Task task;

        void cancel() {
            Scheduler.Task t = task;
            if (t != null) {
                t.cancel();
            }
        }
    }
}
