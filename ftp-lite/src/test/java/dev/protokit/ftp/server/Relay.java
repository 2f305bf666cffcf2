package dev.protokit.ftp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A one-connection TCP relay on loopback for tests: accepts once, connects from 127.0.0.1, pipes both ways. */
final class Relay implements AutoCloseable {
    private final ServerSocket listener;

    private Relay(ServerSocket listener) {
        this.listener = listener;
    }

    static Relay start(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(listen, 1);
        Relay relay = new Relay(listener);
        Thread.ofVirtual().name("relay").start(() -> {
            try (Socket in = listener.accept(); Socket out = new Socket()) {
                out.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                out.connect(target, 5_000);
                Thread up = Thread.ofVirtual().start(() -> pipe(in, out));
                pipe(out, in);
                up.join();
            } catch (IOException | InterruptedException e) {
                // the test sees the effect on its own sockets
            }
        });
        return relay;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // both ends are going away
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
