package dev.protokit.chat.server;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.wire.ChatCodec;
import dev.protokit.chat.wire.ChatWireException;
import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ErrorCode;
import dev.protokit.chat.wire.ServerMessage;
import dev.protokit.chat.wire.WireLimits;
import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.Authenticated;
import dev.protokit.common.auth.ServerAuthenticator;
import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.frame.Frame;
import dev.protokit.common.frame.FrameException;
import dev.protokit.common.frame.FrameLimits;
import dev.protokit.common.frame.FrameReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One native connection: the {@code protokit-auth/1} handshake with the key of the account the
 * client names, {@code welcome}, the account's offline direct messages (the core replays them
 * at connect, in order, once), then one request at a time until {@code quit} or the end.
 *
 * <pre>
 *  handshake (key id = account) -> welcome -> [direct... offline replay] -> request/answer ...
 * </pre>
 *
 * <p>A request that breaks the protocol or that the core refuses gets an {@code error} and the
 * connection goes on. So does a frame whose header is not JSON: its length was valid, so the next
 * frame's start is known. A frame whose lengths cannot be trusted (a header over the limit, a bad
 * {@code bodyLength}, a body over the attachment limit) gets an {@code error} and is the last:
 * where the next frame starts is unknown. Messages pass the IRC listener's {@link FloodGate}
 * (same burst and rate) before they are handled.
 */
final class NativeSession implements ConnectionHandler {
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ChatCore core;
    private final ServerAuthenticator authenticator;
    private final NativeListener.Settings settings;
    private final NativeAttachments attachments;
    private final NativeRender render;
    private final NativeTyping typing;
    private final Clock clock;

    NativeSession(ChatCore core, ServerAuthenticator authenticator, NativeListener.Settings settings,
                  NativeAttachments attachments, NativeTyping typing, Clock clock) {
        this.core = core;
        this.authenticator = authenticator;
        this.settings = settings;
        this.attachments = attachments;
        this.render = new NativeRender(attachments);
        this.typing = typing;
        this.clock = clock;
    }

    @Override
    public void handle(Session session) throws IOException, InterruptedException {
        NativeStreams io;
        try {
            io = NativeStreams.open(session, settings.tls());
        } catch (javax.net.ssl.SSLException e) {
            session.outcome(SessionOutcome.TLS_FAILED);
            session.detail("error", '"' + String.valueOf(e.getMessage()) + '"');
            return;
        }
        Authenticated auth;
        try {
            auth = authenticator.authenticate(io.socket(), io.in(), io.out());
        } catch (AuthException e) {
            session.outcome(SessionOutcome.AUTH_FAILED);
            e.keyId().ifPresent(id -> session.detail("account", id));
            session.detail("reason", e.error().name().toLowerCase(Locale.ROOT));
            return;
        }
        auth.keys().destroy(); // protokit-chat/1 traffic is not MACed with them (see docs/chat.md)
        session.handshakeComplete();
        Optional<Account> account = core.account(auth.keyId().value());
        if (account.isEmpty()) {
            session.outcome(SessionOutcome.AUTH_FAILED);
            session.detail("reason", "account_removed");
            return;
        }
        session.detail("account", account.get().name());
        NativeOutbox out = new NativeOutbox(session, io.out(), render, attachments, settings.maxSendQueue(), clock);
        out.start();
        out.send(new ServerMessage.Welcome(account.get().name(), core.config().serverName(), account.get().operator(),
                clock.instant(), attachments.maxBytes()));
        Client client;
        try {
            client = connect(account.get(), session, out);
        } catch (ChatException e) {
            out.send(new ServerMessage.Bye("cannot log in: " + e.getMessage()));
            out.awaitDrained(DRAIN);
            session.outcome(SessionOutcome.PROTOCOL_ERROR);
            session.detail("reason", "login_refused");
            return;
        }
        String quitReason = "connection closed";
        try {
            if (account.get().operator()) {
                client.becomeOperator();
            }
            typing.add(client, out);
            session.onServerStop(() -> out.send(new ServerMessage.Bye("server shutting down")));
            quitReason = serve(session, io, client, account.get().name(), out);
        } finally {
            typing.remove(client);
            // A forced shutdown interrupts this thread; the quit (last-seen in the store) must still happen.
            boolean interrupted = Thread.interrupted();
            try {
                // A cut client's read fails like a lost connection; members are told why (as on IRC).
                client.quit(out.sendQueueExceeded() ? "SendQ exceeded" : quitReason);
            } finally {
                out.awaitDrained(DRAIN);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The request loop; returns the quit reason other members see. */
    private String serve(Session session, NativeStreams io, Client client, String account, NativeOutbox out)
            throws IOException, InterruptedException {
        var requests = new NativeRequests(core, client, account, out, render, attachments, typing, clock);
        var reader = new FrameReader(new BufferedInputStream(io.in(), 16 * 1024),
                new FrameLimits(WireLimits.MAX_CLIENT_HEADER_BYTES, attachments.maxBytes()));
        FloodGate flood = new FloodGate(settings.floodBurst(), settings.floodRate(), System::nanoTime);
        long handled = 0;
        try {
            while (true) {
                Optional<Frame> frame;
                try {
                    frame = reader.next();
                } catch (FrameException e) {
                    out.send(new ServerMessage.Error(frameCode(e), e.getMessage(), Optional.empty()));
                    if (!recoverable(e)) {
                        session.outcome(SessionOutcome.PROTOCOL_ERROR);
                        return "protocol error";
                    }
                    continue;
                }
                if (frame.isEmpty()) {
                    return "connection closed";
                }
                switch (flood.take()) {
                    case FloodGate.Verdict.Pass pass -> { }
                    case FloodGate.Verdict.Delay delay -> Thread.sleep(delay.pause());
                    case FloodGate.Verdict.Excess excess -> {
                        session.outcome(SessionOutcome.PROTOCOL_ERROR);
                        session.detail("reason", "excess_flood");
                        out.send(new ServerMessage.Bye("Excess flood"));
                        return "Excess flood";
                    }
                }
                handled++;
                if (!handleOne(requests, frame.get(), out)) {
                    return "quit";
                }
            }
        } finally {
            session.detail("requests", handled);
        }
    }

    private boolean handleOne(NativeRequests requests, Frame frame, NativeOutbox out) throws IOException {
        ClientMessage request;
        try {
            request = ChatCodec.decodeClient(frame.header());
        } catch (ChatWireException e) {
            out.send(ServerMessage.Error.of(e));
            return true;
        }
        try {
            return requests.handle(request, frame.body());
        } catch (ChatWireException e) {
            out.send(ServerMessage.Error.of(refOf(request).map(e::withRef).orElse(e)));
        } catch (ChatException e) {
            out.send(new ServerMessage.Error(NativeRender.code(e.error()), e.getMessage(), refOf(request)));
        }
        return true;
    }

    /**
     * Connects under the account's name as nick; a second session of the same account (another
     * native client, or IRC) gets {@code NAME-2} .. {@code NAME-9}: the account is what counts.
     */
    private Client connect(Account account, Session session, NativeOutbox out) {
        String host = session.peer().getAddress().getHostAddress().replaceFirst("%.*$", "");
        for (int n = 1; ; n++) {
            String nick = n == 1 ? account.name() : account.name() + "-" + n;
            try {
                return core.connect(new Identity(nick, account.name(), host, account.name(), Optional.of(account.name())), out);
            } catch (ChatException e) {
                if (e.error() != dev.protokit.chat.core.ChatError.NICK_IN_USE || n == 9) {
                    throw e;
                }
            }
        }
    }

    /** A header that is not JSON still had a valid length: the next frame starts right after it. */
    private static boolean recoverable(FrameException e) {
        return switch (e.error()) {
            case EMPTY_HEADER, HEADER_NOT_UTF8, HEADER_NOT_JSON, HEADER_NOT_OBJECT -> true;
            default -> false;
        };
    }

    private static ErrorCode frameCode(FrameException e) {
        return switch (e.error()) {
            case HEADER_TOO_LARGE, BODY_TOO_LARGE -> ErrorCode.TOO_LARGE;
            default -> ErrorCode.MALFORMED;
        };
    }

    private static Optional<String> refOf(ClientMessage request) {
        return switch (request) {
            case ClientMessage.Say m -> m.ref();
            case ClientMessage.Dm m -> m.ref();
            case ClientMessage.SetTopic m -> m.ref();
            case ClientMessage.Attach m -> m.ref();
            case ClientMessage.Get m -> m.ref();
            case ClientMessage.Operator m -> m.ref();
            case ClientMessage.Ping m -> m.ref();
            case ClientMessage.Join m -> Optional.empty();
            case ClientMessage.Part m -> Optional.empty();
            case ClientMessage.Away m -> Optional.empty();
            case ClientMessage.Typing m -> Optional.empty();
            case ClientMessage.Who m -> Optional.empty();
            case ClientMessage.History m -> Optional.empty();
            case ClientMessage.Quit m -> Optional.empty();
        };
    }

}
