package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.ConnectionHandler;
import dev.protokit.common.daemon.Session;
import dev.protokit.common.daemon.SessionOutcome;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * STUN over TCP (RFC 8489 section 6.2.2) on common's {@link dev.protokit.common.daemon.TcpServer}:
 * messages are framed by their own length field; Binding requests are answered on the same
 * connection. Anything that is not a well-formed STUN message ends the connection (there is no
 * way to find the next message boundary). Messages are at most {@link #MAX_MESSAGE} bytes.
 */
final class StunOverTcp implements ConnectionHandler {
    /** The largest message accepted over TCP (RFC 8489 asks for at least 548 over UDP). */
    static final int MAX_MESSAGE = 2048;

    private final StunResponder responder;

    StunOverTcp(StunResponder responder) {
        this.responder = responder;
    }

    @Override
    public void handle(Session session) throws IOException {
        var in = new DataInputStream(session.in());
        var local = (InetSocketAddress) session.socket().getLocalSocketAddress();
        byte[] header = new byte[StunCodec.HEADER];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                session.outcome(SessionOutcome.CLOSED);
                return;
            }
            int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            if (StunCodec.HEADER + length > MAX_MESSAGE || !StunCodec.looksLikeStun(ByteBuffer.wrap(header))) {
                session.outcome(SessionOutcome.PROTOCOL_ERROR);
                session.detail("reason", "not-stun");
                return;
            }
            byte[] message = new byte[StunCodec.HEADER + length];
            System.arraycopy(header, 0, message, 0, StunCodec.HEADER);
            in.readFully(message, StunCodec.HEADER, length);
            StunMessage m;
            try {
                m = StunCodec.decode(ByteBuffer.wrap(message));
            } catch (StunException e) {
                session.outcome(SessionOutcome.PROTOCOL_ERROR);
                session.detail("error", '"' + e.getMessage() + '"');
                return;
            }
            session.handshakeComplete();
            if (m.method() == StunMethod.BINDING && m.messageClass() == StunClass.REQUEST) {
                Optional<Reply> reply = responder.binding(m, ByteBuffer.wrap(message), session.peer(), local);
                if (reply.isPresent()) {
                    ByteBuffer answer = reply.get().answer();
                    session.out().write(answer.array(), answer.arrayOffset() + answer.position(), answer.remaining());
                    session.out().flush();
                }
            }
        }
    }
}
