package dev.protokit.chat.server;

import dev.protokit.common.daemon.Session;
import dev.protokit.common.tls.ServerTls;
import dev.protokit.common.tls.TlsVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The byte streams a native connection speaks {@code protokit-chat/1} over: the accepted
 * socket's, or, with {@code --native-tls}, those of the TLS session over it (TLS 1.2/1.3 under
 * common's policy: no renegotiation, AEAD suites only). Both count bytes for the session log.
 *
 * <pre>
 *  plain:       TCP | protokit-auth/1 handshake | frames ...
 *  --native-tls: TCP | TLS handshake | protokit-auth/1 handshake | frames ...   (all inside TLS)
 * </pre>
 *
 * @param socket the socket the handshake reads with its deadline (the TLS one over TLS)
 * @param in     what the client sends
 * @param out    what the client receives, unbuffered
 */
record NativeStreams(Socket socket, InputStream in, OutputStream out) {
    /**
     * The session's streams, after the TLS handshake when {@code tls} is present.
     *
     * @throws javax.net.ssl.SSLException if the client does not complete a TLS handshake
     */
    static NativeStreams open(Session session, Optional<SSLContext> tls) throws IOException {
        if (tls.isEmpty()) {
            return new NativeStreams(session.socket(), session.in(), session.out());
        }
        SSLSocket ssl = ServerTls.serverSide(tls.get(), session.socket(), TlsVersions.TLS_1_2_AND_1_3);
        ssl.startHandshake();
        return new NativeStreams(ssl, session.counting(ssl.getInputStream()), session.counting(ssl.getOutputStream()));
    }
}
