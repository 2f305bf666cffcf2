package dev.protokit.ftp.client;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * An FTPS client whose passive PROT P data connections resume the control connection's TLS
 * session, as RFC 4217 section 10.2 suggests and as vsftpd (require_ssl_reuse=YES, its default)
 * and our server's {@code --require-tls-session-reuse} demand: without it they refuse every
 * transfer, since anyone could otherwise race the client to the passive port.
 *
 * <p>JSSE looks a session up by peer host and the underlying socket's port, so a data connection
 * (another port) never finds the control connection's. Here the passive data connection is
 * opened plain, wrapped so it reports the control port ({@link ControlPortSocket}), and layered as
 * TLS under the control connection's host: JSSE then offers the control session (TLS 1.2 session
 * id or ticket, TLS 1.3 PSK). A server that does not care simply runs a full handshake.
 * Active-mode data connections are left to commons-net.
 */
final class ResumingFtpsClient extends FTPSClient {
    private final SSLContext context;
    private final boolean verifyEndpoint;
    private boolean privateData;

    ResumingFtpsClient(boolean implicit, SSLContext context, boolean verifyEndpoint) {
        super(implicit, context);
        this.context = context;
        this.verifyEndpoint = verifyEndpoint;
        setEndpointCheckingEnabled(verifyEndpoint);
    }

    @Override
    public void execPROT(String prot) throws IOException {
        super.execPROT(prot);
        privateData = "P".equals(prot);
        if (privateData) {
            setSocketFactory(null); // passive data sockets open plain; they are layered as TLS below
        }
    }

    @Override
    protected Socket _openDataConnection_(String command, String arg) throws IOException {
        Socket socket = super._openDataConnection_(command, arg);
        if (socket == null) {
            return null;
        }
        // No Nagle: an upload's last data record and its close_notify are two small writes, and
        // the second would wait for the server's (delayed) ACK of the first, ~40 ms a file.
        socket.setTcpNoDelay(true);
        if (!privateData || socket instanceof SSLSocket || !(_socket_ instanceof SSLSocket control)) {
            return socket;
        }
        SSLSession session = control.getSession();
        SSLSocket tls;
        try {
            tls = (SSLSocket) context.getSocketFactory().createSocket(
                    new ControlPortSocket(socket, session.getPeerPort()), session.getPeerHost(), session.getPeerPort(), true);
            tls.setUseClientMode(true);
            if (verifyEndpoint) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            tls.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return tls;
    }
}
