package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerMessage;
import dev.protokit.rendezvous.wire.PeerMessageCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The chat: the keyboard and the socket read at once (the keyboard on this thread, the
 * session on a virtual thread), each line sent as one reliable message. {@code /quit} or the
 * end of input says goodbye; {@code /status} shows the path and the round trip.
 */
final class ChatLoop {
    private static final Duration GOODBYE = Duration.ofSeconds(5);

    private final Connection connection;
    private final InputStream keyboard;
    private final PrintWriter out;
    private final java.util.concurrent.locks.ReentrantLock printLock = new java.util.concurrent.locks.ReentrantLock();

    ChatLoop(Connection connection, InputStream keyboard, PrintWriter out) {
        this.connection = connection;
        this.keyboard = keyboard;
        this.out = out;
    }

    /** Runs until either side leaves; returns the exit code. */
    int run() throws Exception {
        PeerSession session = connection.session();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().name("rdv-chat-reader").start(() -> {
            try {
                while (true) {
                    Optional<ByteBuffer> next = session.receive(Duration.ofSeconds(1));
                    if (next.isPresent()) {
                        if (PeerMessageCodec.decode(next.get()) instanceof PeerMessage.Chat c) {
                            print("peer> " + c.text());
                        }
                    } else if (session.peerClosed()) {
                        print("the other peer left");
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (PeerException e) {
                failed.set(e);
                print("connection lost: " + e.getMessage());
            }
        });
        Thread writer = Thread.ofVirtual().name("rdv-chat-keyboard").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(keyboard, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("/quit")) {
                        break;
                    }
                    if (line.equals("/status")) {
                        print(status());
                        continue;
                    }
                    if (!line.isEmpty()) {
                        send(session, line);
                    }
                }
                session.goodbye(GOODBYE);
                print("goodbye");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failed.compareAndSet(null, e);
            }
        });
        while (reader.isAlive() && writer.isAlive()) {
            reader.join(200);
        }
        writer.interrupt();
        reader.interrupt();
        Exception e = failed.get();
        if (e != null) {
            throw e;
        }
        return 0;
    }

    private static void send(PeerSession session, String line) throws InterruptedException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        while (from < bytes.length) {
            int to = Math.min(bytes.length, from + PeerMessage.MAX_CHAT);
            while (to < bytes.length && (bytes[to] & 0xc0) == 0x80) {
                to--; // never split a UTF-8 sequence
            }
            String part = new String(bytes, from, to - from, StandardCharsets.UTF_8);
            session.send(PeerMessageCodec.encode(new PeerMessage.Chat(part)));
            from = to;
        }
    }

    private String status() {
        return "connected " + PeerConnector.describe(connection)
                + connection.session().rtt().map(r -> ", rtt " + r.toMillis() + " ms").orElse("");
    }

    private void print(String line) {
        printLock.lock();
        try {
            out.println(line);
            out.flush();
        } finally {
            printLock.unlock();
        }
    }
}
