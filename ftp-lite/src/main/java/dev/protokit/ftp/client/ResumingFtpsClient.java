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
 *
 * <p>FTPS runs on TLS 1.2 ({@link #PROTOCOLS}, control and data alike: a data connection can only
 * resume a session of its own version), resumed by session id ({@link #useSessionIds}). Under
 * TLS 1.3 a session is resumed with a ticket, and JSSE uses each ticket once (RFC 8446 C.4).
 * ProFTPD (OpenSSL) sent a fresh ticket on each listing's data connection but none on an
 * upload's, so after the two tickets of the control handshake two uploads in a row left none, and
 * with its default of requiring reuse ProFTPD refused the third data connection of {@code mirror
 * -R --tls}: {@code 425 Unable to build data connection: Operation not permitted}. A TLS 1.2
 * session is resumed by its id any number of times. Our server does the same under {@code
 * --require-tls-session-reuse}. A server that refuses TLS 1.2 (TLS 1.3 only) is asked again on a
 * new connection with {@link #FALLBACK} ({@code FtpSession.open}); data connections then run on
 * whatever version the control connection got.
 */
final class ResumingFtpsClient extends FTPSClient {
    /** The TLS versions offered on control and data connections (see the class comment). */
    static final String[] PROTOCOLS = {"TLSv1.2"};
    /** Offered on a second connection when the server refused {@link #PROTOCOLS}. */
    static final String[] FALLBACK = {"TLSv1.3"};
    private static final String TICKETS = "jdk.tls.client.enableSessionTicketExtension";

    /**
     * Makes JSSE resume TLS 1.2 sessions by id instead of by session ticket (RFC 5077), for the
     * whole process; call before the first TLS connection. vsftpd (require_ssl_reuse=YES) does
     * not resume from a ticket, and its refusal ({@code 522 SSL connection failed: session reuse
     * required}) ended every TLS 1.2 transfer; it resumes by id. A user's own setting of
     * {@code jdk.tls.client.enableSessionTicketExtension} is kept.
     */
    static void useSessionIds() {
        if (System.getProperty(TICKETS) == null) {
            System.setProperty(TICKETS, "false");
        }
    }

    private final SSLContext context;
    private final boolean verifyEndpoint;
    private boolean privateData;

    ResumingFtpsClient(boolean implicit, SSLContext context, boolean verifyEndpoint, String[] protocols) {
        super(implicit, context);
        this.context = context;
        this.verifyEndpoint = verifyEndpoint;
        setEndpointCheckingEnabled(verifyEndpoint);
        setEnabledProtocols(protocols.clone());
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
        try {
            return resumeOver(socket, control.getSession(), context, verifyEndpoint);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** TLS over the plain data connection {@code socket}, handshaken, offering to resume {@code control}. */
    static SSLSocket resumeOver(Socket socket, SSLSession control, SSLContext context, boolean verifyEndpoint) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(
                new ControlPortSocket(socket, control.getPeerPort()), control.getPeerHost(), control.getPeerPort(), true);
        tls.setUseClientMode(true);
        tls.setEnabledProtocols(new String[] {control.getProtocol()}); // a session resumes only in its own version
        if (verifyEndpoint) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        tls.startHandshake();
        return tls;
    }
}
