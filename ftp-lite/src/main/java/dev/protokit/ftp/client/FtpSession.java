package dev.protokit.ftp.client;

import dev.protokit.ftp.client.ConnectionOptions.Security;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.util.OptionalLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.commons.net.PrintCommandListener;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * A logged-in commons-net client, set up the way {@code ftp-lite} wants it: binary type, passive
 * by default (EPSV, then PASV, always to the control connection's address so a hostile PASV
 * reply cannot point the client at a third host), data checked to come from the server, UTF-8
 * paths, and for TLS, PROT P so file data is encrypted too (RFC 4217 section 9).
 *
 * <p>Every failed reply becomes a {@link FtpCliException} whose message is the server's reply line.
 */
final class FtpSession implements AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final FTPClient client;
    private final Target target;

    private FtpSession(FTPClient client, Target target) {
        this.client = client;
        this.target = target;
    }

    /** Connects, logs in with {@code credentials} (wiping them) and sets the session up. */
    static FtpSession open(Target target, ConnectionOptions options, Credentials credentials, PrintWriter err) {
        try {
            try {
                return open(target, options, credentials, err, ResumingFtpsClient.PROTOCOLS);
            } catch (FtpCliException e) {
                if (target.security() == Security.PLAIN || !refusedTlsVersion(e)) {
                    throw e;
                }
                // A TLS 1.3-only server: a new connection, offering TLS 1.3 (see ResumingFtpsClient).
                return open(target, options, credentials, err, ResumingFtpsClient.FALLBACK);
            }
        } finally {
            credentials.wipe();
        }
    }

    /** True if the TLS handshake failed for another reason than an untrusted certificate (here: the version offered). */
    private static boolean refusedTlsVersion(FtpCliException e) {
        return e.getCause() instanceof SSLHandshakeException h && !untrusted(h);
    }

    private static FtpSession open(Target target, ConnectionOptions options, Credentials credentials, PrintWriter err,
                                   String[] tlsVersions) {
        FTPClient client = switch (target.security()) {
            case PLAIN -> new FTPClient();
            case EXPLICIT_TLS -> new ResumingFtpsClient(false, TlsSetup.context(options), !options.insecure, tlsVersions);
            case IMPLICIT_TLS -> new ResumingFtpsClient(true, TlsSetup.context(options), !options.insecure, tlsVersions);
        };
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout.toMillis());
        client.setConnectTimeout(timeoutMillis);
        client.setDefaultTimeout(timeoutMillis);
        client.setDataTimeout(options.timeout);
        client.setControlEncoding("UTF-8");
        client.setUseEPSVwithIPv4(true);
        client.setRemoteVerificationEnabled(true);
        client.setBufferSize(BUFFER_BYTES);
        if (options.verbose) {
            client.addProtocolCommandListener(new PrintCommandListener(err, true));
        }
        FtpSession session = new FtpSession(client, target);
        try {
            connectAndLogin(session, options, credentials);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static void connectAndLogin(FtpSession session, ConnectionOptions options, Credentials credentials) {
        FTPClient client = session.client;
        Target target = session.target;
        String where = target.host() + ":" + target.port();
        try {
            client.connect(target.host(), target.port());
            String controlAddress = client.getRemoteAddress().getHostAddress();
            client.setPassiveNatWorkaroundStrategy(hostname -> controlAddress);
            if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw FtpCliException.connection(where + ": " + session.reply(), null);
            }
            if (!client.login(credentials.user(), new String(credentials.password()))) {
                throw FtpCliException.connection("login as " + credentials.user() + " refused: " + session.reply(), null);
            }
            if (client instanceof FTPSClient tls) {
                tls.execPBSZ(0);
                tls.execPROT("P");
            }
            session.check(client.setFileType(FTP.BINARY_FILE_TYPE), "TYPE I");
            if (options.active) {
                client.enterLocalActiveMode();
            } else {
                client.enterLocalPassiveMode();
            }
        } catch (UnknownHostException e) {
            throw FtpCliException.connection("unknown host " + target.host(), e);
        } catch (SSLException e) {
            throw FtpCliException.connection(where + ": TLS failed: " + e.getMessage() + (untrusted(e)
                    ? "; the server's certificate is not trusted: give --ca-file PEM (its certificate or CA), "
                    + "or --insecure to skip the check" : ""), e);
        } catch (IOException e) {
            throw connectionLost(where, e);
        }
    }

    /** True if the handshake failed because the certificate chain did not verify (self-signed, unknown CA). */
    static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t.getClass().getName().equals("sun.security.provider.certpath.SunCertPathBuilderException")) {
                return true;
            }
        }
        return false;
    }

    FTPClient client() {
        return client;
    }

    Target target() {
        return target;
    }

    /** Throws the server's last reply as an error unless {@code ok}. */
    void check(boolean ok, String what) {
        if (!ok) {
            throw failure(what);
        }
    }

    /** The exception for the last reply: 421 and closed connections are connection failures, the rest remote errors. */
    FtpCliException failure(String what) {
        int code = client.getReplyCode();
        if (code == FTPReply.SERVICE_NOT_AVAILABLE || code <= 0) {
            return FtpCliException.connection("connection lost during " + what + ": " + reply(), null);
        }
        String reply = reply();
        int space = what.indexOf(' ');
        String argument = space < 0 ? what : what.substring(space + 1);
        return FtpCliException.remote(reply.contains(argument) ? reply : what + ": " + reply);
    }

    /**
     * When a data connection broke, the server has often said why on the control connection
     * (552 quota, 522 TLS refused, 426 aborted): reads that reply and reports it instead of the
     * bare socket error, as a remote failure. Otherwise returns {@code broken} unchanged.
     */
    FtpCliException explain(FtpCliException broken, String what) {
        if (broken.code() != ExitCode.CONNECTION) {
            return broken;
        }
        try {
            client.completePendingCommand();
        } catch (IOException e) {
            broken.addSuppressed(e);
            return broken;
        }
        if (client.getReplyCode() < 400) {
            return broken;
        }
        FtpCliException refused = failure(what);
        refused.addSuppressed(broken);
        return refused;
    }

    /** The server's last reply on one line, e.g. {@code 550 No such file: /x}. */
    String reply() {
        String text = client.getReplyString();
        return text == null || text.isBlank() ? "no reply" : text.strip().replaceAll("\\s*\r?\n\\s*", " ");
    }

    /** {@code SIZE path} (RFC 3659 section 4), if the server answers it. */
    OptionalLong size(String path) throws IOException {
        String size = client.getSize(path);
        if (size == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(size.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** True if {@code path} is a directory: CWD into it succeeds (then CWD back). */
    boolean isDirectory(String path) throws IOException {
        String here = client.printWorkingDirectory();
        if (!client.changeWorkingDirectory(path)) {
            return false;
        }
        if (here != null) {
            client.changeWorkingDirectory(here);
        }
        return true;
    }

    static FtpCliException connectionLost(String where, IOException e) {
        if (e instanceof FTPConnectionClosedException) {
            return FtpCliException.connection(where + ": server closed the connection", e);
        }
        return FtpCliException.connection(where + ": " + e.getMessage(), e);
    }

    /** Sends QUIT when still connected, then closes; never throws. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.logout();
            }
        } catch (IOException ignored) {
            // the connection is going away anyway
        }
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // nothing left to clean up
        }
    }
}
