package dev.protokit.chat.server;

import dev.protokit.common.frame.LineError;
import dev.protokit.common.frame.LineException;
import dev.protokit.common.frame.LineTooLongException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * IRC over a WebSocket as the IRCv3 WebSocket specification defines it: each message carries
 * one IRC line without its CR LF, as text frames ({@code text.ircv3.net}) or binary frames
 * ({@code binary.ircv3.net}) chosen at the upgrade; incoming messages of either kind must be
 * UTF-8. A message with a CR or LF inside is refused like a bare line end on TCP, so nothing
 * can be smuggled in as a second command. (Public only because Jetty calls the listener methods
 * reflectively; everything else is package-private.)
 *
 * <p>Reading is pull-based: the session thread {@linkplain Session#demand() demands} one
 * message when it wants a line, so a client that floods is read no faster than its session
 * handles it (the flood gate's delays reach the socket), and Jetty's callbacks never block.
 */
public final class WebSocketIrcConnection implements IrcConnection, Session.Listener {
    /** How a connection's server messages are framed, by the subprotocol agreed at the upgrade. */
    enum Framing {
        TEXT("text.ircv3.net"), BINARY("binary.ircv3.net");

        private final String subprotocol;

        Framing(String subprotocol) {
            this.subprotocol = subprotocol;
        }

        /** The {@code Sec-WebSocket-Protocol} value. */
        String subprotocol() {
            return subprotocol;
        }
    }

    private sealed interface Inbound {}

    private record Line(String text) implements Inbound {}

    private record Refused(LineException error) implements Inbound {}

    private record End() implements Inbound {}

    private static final End END = new End();

    private final InetSocketAddress peer;
    private final boolean tls;
    private final Framing framing;
    private final long registrationDeadline;
    private final LinkedBlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    private final WebSocketLog log;
    private final WebSocketOutput output;
    private final java.util.function.BiConsumer<WebSocketIrcConnection, WebSocketLog> opened;
    private volatile Session ws;
    private volatile boolean registered;
    private volatile Runnable onServerStop = () -> {};
    private boolean demanded;
    private long readTimeoutMillis = 60_000;

    WebSocketIrcConnection(InetSocketAddress peer, boolean tls, Framing framing, Duration registrationTimeout, WebSocketLog log,
                           java.util.function.BiConsumer<WebSocketIrcConnection, WebSocketLog> opened) {
        this.opened = opened;
        this.peer = peer;
        this.tls = tls;
        this.framing = framing;
        this.registrationDeadline = System.nanoTime() + registrationTimeout.toNanos();
        this.log = log;
        this.output = new WebSocketOutput(() -> ws, framing, log);
    }

    /** The Jetty session is open: the listener admits it and starts its IRC session thread. */
    @Override
    public void onWebSocketOpen(Session session) {
        ws = session;
        opened.accept(this, log);
    }

    /** Sends one IRC line and closes with {@code status}: a connection refused after the upgrade. */
    void refuse(String ircLine, int status) {
        Session s = ws;
        if (framing == Framing.TEXT) {
            s.sendText(ircLine, Callback.NOOP);
        } else {
            s.sendBinary(ByteBuffer.wrap(ircLine.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
        }
        s.close(status, "too many connections", Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String message) {
        log.received(message.length());
        inbox.add(check(message));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        log.received(payload.remaining());
        Inbound in;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload).toString();
            in = check(text);
        } catch (CharacterCodingException e) {
            in = new Refused(new LineException(LineError.MALFORMED, "binary message is not UTF-8", e));
        }
        callback.succeed();
        inbox.add(in);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        inbox.add(END);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        inbox.add(END);
    }

    private static Inbound check(String message) {
        int bytes = utf8Length(message);
        if (bytes > IrcSession.MAX_LINE_BYTES) {
            return new Refused(new LineTooLongException(bytes, IrcSession.MAX_LINE_BYTES));
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                // IRCv3 WebSocket: a message is one line, without CR LF.
                return new Refused(new LineException(c == '\r' ? LineError.BARE_CR : LineError.BARE_LF,
                        String.format("line end inside a WebSocket message at offset 0x%08x", i)));
            }
        }
        return new Line(message);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        return n;
    }

    /** Whether the client registered in time; the session reads no more once this is false. */
    private boolean pastRegistrationDeadline() {
        return !registered && System.nanoTime() - registrationDeadline > 0;
    }

    @Override
    public Optional<String> readLine() throws IOException {
        Session s = ws;
        if (s == null) {
            return Optional.empty();
        }
        if (!demanded) {
            demanded = true;
            s.demand();
        }
        long wait = readTimeoutMillis;
        if (!registered) {
            wait = Math.min(wait, Math.max(0, (registrationDeadline - System.nanoTime()) / 1_000_000));
        }
        Inbound in;
        try {
            in = inbox.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (in == null) {
            if (pastRegistrationDeadline()) {
                detail("timeout", "registration");
                return Optional.empty();
            }
            throw new SocketTimeoutException("no message for " + readTimeoutMillis + " ms");
        }
        demanded = false;
        return switch (in) {
            case Line(String text) -> pastRegistrationDeadline() ? Optional.empty() : Optional.of(text);
            case Refused(LineException e) -> throw e;
            case End e -> {
                inbox.add(END);
                yield Optional.empty();
            }
        };
    }

    @Override
    public void readTimeout(Duration timeout) {
        readTimeoutMillis = Math.max(1, timeout.toMillis());
    }

    @Override
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public boolean secure() {
        return tls;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void shutdownOutput() {
        Session s = ws;
        if (s != null) {
            s.close(StatusCode.NORMAL, "closing", Callback.NOOP);
        }
    }

    @Override
    public void close() {
        Session s = ws;
        if (s != null) {
            s.disconnect();
        }
        inbox.add(END);
    }

    @Override
    public void discardInput(Duration linger) {
        long deadline = System.nanoTime() + linger.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                Session s = ws;
                if (s != null && s.isOpen() && !demanded) {
                    demanded = true;
                    s.demand();
                }
                Inbound in = inbox.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (in == null || in instanceof End) {
                    return;
                }
                demanded = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void detail(String key, Object value) {
        log.detail(key, value);
    }

    @Override
    public void handshakeComplete() {
        registered = true;
    }

    @Override
    public void onServerStop(Runnable action) {
        onServerStop = action;
    }

    /** Called by the listener when the server starts shutting down. */
    void serverStopping() {
        onServerStop.run();
    }
}
