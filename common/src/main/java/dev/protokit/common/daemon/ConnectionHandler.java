package dev.protokit.common.daemon;

import java.net.Socket;

/** Serves one accepted TCP connection; {@link TcpServer} runs it on its own virtual thread. */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * Serves {@code session} until it ends. The server closes the socket afterwards and logs the
     * session. Exceptions end the session (an I/O error or idle timeout is an ordinary outcome);
     * they never stop the server.
     */
    void handle(Session session) throws Exception;

    /**
     * Called (on a virtual thread, with a short write timeout) when a connection is refused by a
     * limit, so the protocol can say why before the server closes it, e.g. FTP's
     * {@code 421 Too many connections}. The default says nothing.
     */
    default void rejected(Socket socket, Rejection rejection) throws Exception {}
}
