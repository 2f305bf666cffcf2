package dev.protokit.ftp.client;

import dev.protokit.common.tls.ClientTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS context for {@code --tls}/{@code --implicit-tls}: the JDK trust store by default,
 * the certificates of {@code --ca-file PEM} instead, or, with {@code --insecure}, any
 * certificate at all. Unless insecure, the server's name (or IP address) must match its
 * certificate, checked by JSSE during the handshake.
 */
final class TlsSetup {
    private TlsSetup() {
    }

    static SSLContext context(ConnectionOptions options) {
        try {
            TrustManager trust = options.insecure ? ClientTrust.acceptAny()
                    : options.caFile().map(TlsSetup::fromPem).orElseGet(TlsSetup::jdkDefault);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw FtpCliException.connection("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager jdkDefault() {
        try {
            return ClientTrust.jdkDefault();
        } catch (GeneralSecurityException e) {
            throw FtpCliException.connection("cannot load the JDK trust store: " + e.getMessage(), e);
        }
    }

    private static TrustManager fromPem(Path pem) {
        try {
            return ClientTrust.fromPem(pem);
        } catch (IOException e) {
            throw FtpCliException.local("cannot read CA file " + pem + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw FtpCliException.usage("CA file " + pem + " holds no readable PEM certificate: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw FtpCliException.connection("cannot use CA file " + pem + ": " + e.getMessage(), e);
        }
    }
}
