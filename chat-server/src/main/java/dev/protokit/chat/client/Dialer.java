package dev.protokit.chat.client;

import dev.protokit.common.tls.TlsVersions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * How a client reaches the native listener: plain TCP, or TLS over it when the server runs with
 * {@code --native-tls} (TLS first, then the {@code protokit-auth/1} handshake inside it).
 *
 * @param server     the listener's address
 * @param tls        the client's TLS context (its trust anchors), empty for plain TCP
 * @param verifyHost whether the certificate must name the host (off only with {@code --insecure})
 */
public record Dialer(InetSocketAddress server, Optional<SSLContext> tls, boolean verifyHost) {
    public Dialer {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tls, "tls");
    }

    /** Plain TCP to {@code server}. */
    public static Dialer plain(InetSocketAddress server) {
        return new Dialer(server, Optional.empty(), false);
    }

    /**
     * The connected socket's TLS session, handshake done (certificate and, if {@code verifyHost},
     * host name checked); {@code plain} itself when this dialer is plain.
     */
    Socket secure(Socket plain) throws IOException {
        if (tls.isEmpty()) {
            return plain;
        }
        var ssl = (SSLSocket) tls.get().getSocketFactory().createSocket(plain, server.getHostString(), server.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(TlsVersions.TLS_1_2_AND_1_3.protocolNames());
        if (verifyHost) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }
}
