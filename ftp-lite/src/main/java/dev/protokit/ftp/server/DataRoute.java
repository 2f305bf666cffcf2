package dev.protokit.ftp.server;

import dev.protokit.common.daemon.AddressLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * How the next data connection will be made, as set up by PASV/EPSV (the server listens) or
 * PORT/EPRT (the server connects). Owned by the session until a transfer takes it.
 */
sealed interface DataRoute extends AutoCloseable permits DataRoute.Passive, DataRoute.Active {

    /**
     * A listener waiting for the client; only {@code expectedPeer} may connect to it. The
     * {@code permit} is the peer address's share of the passive range, given back on close.
     */
    record Passive(ServerSocketChannel listener, InetAddress expectedPeer, AddressLimiter.Permit permit) implements DataRoute {
        @Override
        public void close() {
            try {
                listener.close();
            } catch (IOException ignored) {
                // releasing the port; nothing to report
            } finally {
                permit.close();
            }
        }
    }

    /** An address the server connects to, from {@code local} (the control connection's address). */
    record Active(InetSocketAddress target, InetAddress local) implements DataRoute {
        @Override
        public void close() {
            // nothing is open until the transfer connects
        }
    }

    @Override
    void close();
}
