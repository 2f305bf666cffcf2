package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.net.util.TrustManagerUtils;

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
            TrustManager trust = options.insecure ? TrustManagerUtils.getAcceptAllTrustManager()
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
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw FtpCliException.connection("cannot load the JDK trust store: " + e.getMessage(), e);
        }
    }

    private static TrustManager fromPem(Path pem) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw FtpCliException.local("cannot read CA file " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw FtpCliException.usage("CA file " + pem + " holds no readable PEM certificate: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw FtpCliException.usage("CA file " + pem + " holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers()[0];
        } catch (IOException | GeneralSecurityException e) {
            throw FtpCliException.connection("cannot use CA file " + pem + ": " + e.getMessage(), e);
        }
    }
}
