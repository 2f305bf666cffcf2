package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcCodec;
import dev.protokit.chat.irc.IrcException;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.irc.Numeric;
import dev.protokit.common.frame.LineException;
import dev.protokit.common.frame.LineTooLongException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC connection, on a virtual thread while it has input (a silent client's plain TCP
 * connection parks between lines and holds none, see {@link IrcConnection#parkWhenIdle}): reads lines from its {@link IrcConnection}
 * (TCP with strict CR LF, or a WebSocket message each; bounded, UTF-8),
 * passes each through the flood gate, and dispatches it. Registration, CAP and SASL live in
 * {@link IrcRegistration}; commands in {@link IrcCommands}, {@link IrcQueries} and
 * {@link IrcHistory}. Everything the client receives, replies and fanned-out events alike,
 * goes through its {@link IrcOutbound} queue, so lines never interleave and nothing here
 * writes to the socket directly.
 */
final class IrcSession {
    private static final Logger LOG = LoggerFactory.getLogger(IrcSession.class);
    /** Longest line read: a full client tag section plus a 512-byte message. */
    static final int MAX_LINE_BYTES = IrcCodec.MAX_CLIENT_TAG_BYTES + 1 + IrcCodec.MAX_MESSAGE_BYTES;

    final ChatServerContext ctx;
    final IrcConnection session;
    final IrcRenderer renderer;
    final IrcOutbound out;
    final String serverName;
    final boolean tls;
    final IrcRegistration registration;
    /** How long a closing connection may take to send its last lines and see the peer go. */
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);
    private final FloodGate flood;
    private volatile Set<Capability> caps = EnumSet.noneOf(Capability.class);
    private volatile IrcRenderer.Profile profile = new IrcRenderer.Profile(false, false, false, false);
    volatile Client client;
    private volatile String quitReason;
    private boolean awaitingPong;

    IrcSession(ChatServerContext ctx, IrcConnection session, IrcRenderer renderer) {
        this.ctx = ctx;
        this.session = session;
        this.tls = session.secure();
        this.renderer = renderer;
        this.serverName = ctx.config().chat().serverName();
        this.out = new IrcOutbound(this, session.output(), session, ctx.config().maxSendQueue());
        this.flood = new FloodGate(ctx.config().floodBurst(), ctx.config().floodRate(), System::nanoTime);
        this.registration = new IrcRegistration(this);
    }

    void run() throws IOException, InterruptedException {
        out.start(Thread.currentThread().getName());
        session.onServerStop(() -> closingFromCore("Server shutting down"));
        long pingMillis = Math.max(1000, ctx.config().idleTimeout().toMillis() / 2);
        session.readTimeout(java.time.Duration.ofMillis(pingMillis));
        serve();
    }

    /**
     * Reads and handles lines until the connection ends; or, between lines with nothing to read,
     * parks it (when the transport can) and returns, to be called again on a new thread when the
     * client sends something or the read timeout passes.
     */
    private void serve() throws IOException, InterruptedException {
        boolean parked = false;
        try {
            while (true) {
                if (session.parkWhenIdle(this::serve)) {
                    parked = true;
                    return;
                }
                Optional<String> line;
                try {
                    line = session.readLine();
                } catch (SocketTimeoutException e) {
                    if (!idle()) {
                        return;
                    }
                    continue;
                } catch (LineTooLongException e) {
                    numeric(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
                    continue;
                } catch (LineException e) {
                    if (e.error() == dev.protokit.common.frame.LineError.TRUNCATED) {
                        return;
                    }
                    send(IrcMessage.from(serverName, "FAIL", List.of("*", "INVALID_LINE", e.getMessage())));
                    continue;
                }
                if (line.isEmpty()) {
                    // A client may hang up right behind its QUIT (EPIC5 does): the reason it gave stands.
                    if (quitReason == null) {
                        quitReason = "Connection closed";
                    }
                    return;
                }
                awaitingPong = false;
                if (line.get().isEmpty()) {
                    continue;
                }
                switch (flood.take()) {
                    case FloodGate.Verdict.Pass p -> { }
                    case FloodGate.Verdict.Delay d -> Thread.sleep(d.pause());
                    case FloodGate.Verdict.Excess x -> {
                        close("Excess Flood");
                        return;
                    }
                }
                handle(line.get());
                if (out.cutReason() != null) {
                    return;
                }
            }
        } catch (IOException e) {
            if (quitReason == null) {
                quitReason = out.cutReason() != null ? out.cutReason() : "Connection reset";
            }
        } finally {
            if (!parked) {
                end();
            }
        }
    }

    /** The connection is over: the core hears the client quit, the last lines go out, the input is drained. */
    private void end() throws InterruptedException {
        String reason = out.cutReason() != null ? out.cutReason() : quitReason != null ? quitReason : "Connection closed";
        session.detail("quit", '"' + reason + '"');
        Client c = client;
        if (c != null) {
            c.quit(reason);
        }
        out.awaitClosed(LINGER);
        // Read and drop what the client still sends for a moment, so the final close does not
        // meet unread input (an RST could destroy the ERROR line in the peer's receive buffer).
        session.discardInput(LINGER);
    }

    /** A read timed out: ping a quiet client once, drop it if it stays quiet. */
    private boolean idle() {
        if (client == null) {
            return true; // the registration deadline is TcpServer's
        }
        if (awaitingPong) {
            close("Ping timeout: " + ctx.config().idleTimeout().toSeconds() + " seconds");
            return false;
        }
        awaitingPong = true;
        send(IrcMessage.of("PING", serverName));
        return true;
    }

    private void handle(String line) throws InterruptedException {
        IrcMessage m;
        try {
            m = IrcCodec.parse(line);
        } catch (IrcException e) {
            error(e);
            return;
        }
        try {
            if (!registration.handle(m)) {
                if (client == null) {
                    numeric(Numeric.ERR_NOTREGISTERED, "You have not registered");
                } else {
                    IrcCommands.dispatch(this, m);
                }
            }
        } catch (IrcException e) {
            error(e);
        } catch (ChatException e) {
            error(IrcErrors.toIrc(e, null, null));
        } catch (IllegalArgumentException e) {
            // A value that cannot go on the wire (a control character in a parameter): refuse, stay up.
            LOG.debug("refused {} from {}: {}", m.command(), session.peer(), e.getMessage());
            send(IrcMessage.from(serverName, "FAIL", List.of(m.command(), "INVALID_PARAMS", "Invalid parameters")));
        }
    }

    /** The client's nick, or {@code *} before one is set. */
    String nick() {
        Client c = client;
        return c != null ? c.nick() : registration.pendingNick().orElse("*");
    }

    void error(IrcException e) {
        var params = new ArrayList<String>();
        params.add(nick());
        params.addAll(e.params());
        params.add(e.text());
        send(IrcMessage.from(serverName, e.numeric().wire(), params));
    }

    /** Sends {@code :server NNN nick params... :text}. */
    void numeric(Numeric n, String... paramsAndText) {
        var params = new ArrayList<String>();
        params.add(nick());
        params.addAll(List.of(paramsAndText));
        send(IrcMessage.from(serverName, n.wire(), params));
    }

    void send(IrcMessage m) {
        out.send(IrcCodec.encodeLine(m));
    }

    /** Renders a core event for this client's capabilities. */
    List<byte[]> render(ChatEvent event) {
        return renderer.render(event, profile);
    }

    Set<Capability> caps() {
        return caps;
    }

    boolean has(Capability c) {
        return caps.contains(c);
    }

    void caps(Set<Capability> enabled) {
        caps = Set.copyOf(enabled);
        profile = new IrcRenderer.Profile(enabled.contains(Capability.SERVER_TIME), enabled.contains(Capability.MESSAGE_TAGS),
                enabled.contains(Capability.ACCOUNT_TAG), enabled.contains(Capability.AWAY_NOTIFY));
        out.profile(profile);
    }

    IrcRenderer.Profile profile() {
        return profile;
    }

    /** The core (KILL, shutdown) or the client (QUIT) ends the connection: ERROR, then close once sent. */
    void closingFromCore(String reason) {
        close(reason);
    }

    void close(String reason) {
        if (quitReason == null) {
            quitReason = reason;
        }
        String host = session.peer().getAddress().getHostAddress();
        out.send(IrcCodec.encodeLine(IrcMessage.of("ERROR", "Closing Link: " + host + " (" + reason + ")")));
        out.closeAfterDrain();
    }
}
