package dev.protokit.chat.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The IRC writer's side of a WebSocket ({@link IrcOutbound}'s stream): splits what it writes at
 * CR LF and hands Jetty one frame per line, all in batch mode but the last, so a write of many
 * lines becomes one socket write (Jetty gathers batched frames into its output buffer and
 * flushes with the last one). A write returns once Jetty has written the write before it, and
 * {@link #flush} once everything is written, so Jetty holds at most two writes' frames (32 KiB)
 * and bytes not yet handed over stay counted in the session's send queue: that is the one queue
 * that grows for a client that stops reading (it fills and the client is cut, WebDefenceTest).
 *
 * <p>Frames go to Jetty's core session directly with the line's bytes: the Jetty API's
 * {@code sendText} would decode each line to a String and encode it back, and pass each
 * frame through a flush of its own (a socket write per line: the cost the profile showed).
 * Our lines are valid UTF-8 (the renderer encodes Strings), as a text frame requires.
 */
final class WebSocketOutput extends OutputStream {
    private final Supplier<Session> session;
    private final WebSocketIrcConnection.Framing framing;
    private final WebSocketLog log;
    private byte[] partial = new byte[0];
    private FutureCallback inFlight = FutureCallback.SUCCEEDED;

    /** Writes to {@code session}'s WebSocket (null until it opens) in {@code framing}'s frames. */
    WebSocketOutput(Supplier<Session> session, WebSocketIrcConnection.Framing framing, WebSocketLog log) {
        this.session = session;
        this.framing = framing;
        this.log = log;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Session s = session.get();
        if (s == null) {
            throw new IOException("WebSocket not open");
        }
        // One copy per write: Jetty reads the frames' payloads after this returns only if
        // the write failed, and the caller reuses its buffer.
        byte[] bytes = new byte[partial.length + len];
        System.arraycopy(partial, 0, bytes, 0, partial.length);
        System.arraycopy(b, off, bytes, partial.length, len);
        partial = new byte[0];
        CoreSession core = ((WebSocketSession) s).getCoreSession();
        int start = 0;
        int lastStart = -1;
        int lastEnd = -1;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                if (lastStart >= 0) {
                    core.sendFrame(frame(bytes, lastStart, lastEnd), Callback.NOOP, true);
                }
                lastStart = start;
                lastEnd = i;
                start = i + 2;
                i++;
            }
        }
        if (start < bytes.length) {
            partial = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        }
        if (lastStart >= 0) {
            var done = new FutureCallback();
            core.sendFrame(frame(bytes, lastStart, lastEnd), done, false);
            // One write in flight: wait for the one before, so the writer renders its next
            // batch while this one is on the wire, and Jetty never holds more than two.
            await(inFlight);
            inFlight = done;
            log.sent(len);
        }
    }

    @Override
    public void flush() throws IOException {
        // The writer flushes when its queue is empty: everything it wrote is on the wire now.
        await(inFlight);
    }

    private Frame frame(byte[] b, int from, int to) {
        return new Frame(framing == WebSocketIrcConnection.Framing.TEXT ? OpCode.TEXT : OpCode.BINARY, ByteBuffer.wrap(b, from, to - from).slice());
    }

    private static void await(FutureCallback done) throws IOException {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        } catch (ExecutionException e) {
            throw new IOException("WebSocket send failed: " + e.getCause(), e.getCause());
        }
    }
}
