package dev.protokit.auth;

import dev.protokit.common.auth.AuthException;
import dev.protokit.common.auth.Authenticated;
import dev.protokit.common.auth.ServerAuthenticator;
import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.common.frame.LineException;
import dev.protokit.common.frame.LineOptions;
import dev.protokit.common.frame.LineReader;
import dev.protokit.common.frame.LineWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection of the echo service: authenticate, then echo. Nothing is read as a line, and
 * so nothing is ever echoed, before the handshake has succeeded.
 *
 * <pre>
 *  client                              server
 *    | -- protokit-auth/1 handshake -- |   (frames; see dev.protokit.common.auth.Protocol)
 *    | hello world CR LF ------------> |
 *    | &lt;------------ HELLO WORLD CR LF |   ASCII a-z upper-cased, every other byte unchanged
 * </pre>
 *
 * <p>Lines are ISO-8859-1 on the Java side, so any byte except CR and LF passes through
 * unchanged; a line longer than the limit, a bare CR or LF, or a line cut off by the end of
 * input ends the session (the echo service has no error reply that could not be mistaken for
 * an echo). The session-end log line gets the key id and, on failure, the reason; never a key.
 */
final class EchoHandler implements ConnectionHandler {
    /** The longest line echoed unless configured otherwise. */
    static final int DEFAULT_MAX_LINE_BYTES = 8192;

    private final ServerAuthenticator authenticator;
    private final LineOptions lines;

    EchoHandler(ServerAuthenticator authenticator, int maxLineBytes) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.lines = LineOptions.strict(maxLineBytes).withCharset(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void handle(Session session) throws IOException {
        Optional<Authenticated> authenticated = authenticate(session);
        if (authenticated.isEmpty()) {
            return;
        }
        session.handshakeComplete();
        session.detail("key", authenticated.get().keyId());
        try {
            echo(session);
        } finally {
            authenticated.get().keys().destroy();
        }
    }

    private Optional<Authenticated> authenticate(Session session) {
        try {
            return Optional.of(authenticator.authenticate(session.socket(), session.in(), session.out()));
        } catch (AuthException e) {
            // The peer already got the generic failure; the reason is for our log only.
            session.outcome(SessionOutcome.AUTH_FAILED);
            e.keyId().ifPresent(id -> session.detail("key", id));
            session.detail("reason", e.error().name().toLowerCase(Locale.ROOT));
            return Optional.empty();
        }
    }

    private void echo(Session session) throws IOException {
        LineReader reader = new LineReader(session.in(), lines);
        LineWriter writer = new LineWriter(session.out(), StandardCharsets.ISO_8859_1);
        long echoed = 0;
        try {
            for (Optional<String> line = reader.readLine(); line.isPresent(); line = reader.readLine()) {
                writer.writeLine(upperAscii(line.get()));
                echoed++;
                if (reader.buffered() == 0) {
                    writer.flush(); // flush once per burst of pipelined lines, not per line
                }
            }
        } catch (LineException e) {
            session.outcome(SessionOutcome.PROTOCOL_ERROR);
            session.detail("reason", e.error().name().toLowerCase(Locale.ROOT));
        } finally {
            session.detail("lines", echoed);
            writer.flush();
        }
    }

    /** {@code a-z} to {@code A-Z}; every other character, non-ASCII included, unchanged. */
    static String upperAscii(String line) {
        char[] chars = line.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'a' && chars[i] <= 'z') {
                chars[i] -= 'a' - 'A';
            }
        }
        return new String(chars);
    }
}
