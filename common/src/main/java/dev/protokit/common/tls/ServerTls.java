package dev.protokit.common.tls;

import dev.protokit.common.daemon.StartupException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS for every protokit listener: an {@link SSLContext} from PEM files or
 * from a self-signed certificate generated once in the state directory, and the one policy
 * applied to every accepted connection.
 *
 * <p>The policy: TLS 1.2 and 1.3 only; with 1.2, only forward-secret AEAD suites (ECDHE/DHE
 * with AES-GCM or ChaCha20-Poly1305: the CBC suites are what LUCKY13 attacks), the server's
 * order preferred; and no client-initiated renegotiation, which lets one client make the
 * server run full handshakes (public-key operations) in a loop on one connection. TLS 1.3 has
 * no renegotiation at all.
 */
public final class ServerTls {
    static {
        // Read once, when the JDK's server handshake class is first loaded: every server-side
        // socket is made here, so this runs before the first server handshake. The launchers
        // pass the same property on the command line as well.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    private ServerTls() {
    }

    /** A context from a PEM certificate chain and a PEM private key (PKCS#8 or traditional). */
    public static SSLContext fromPem(Path certFile, Path keyFile) {
        try {
            return context(PemFiles.readChain(certFile), PemFiles.readKey(keyFile));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new StartupException("cannot load TLS certificate " + certFile + " / key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A context from {@code dir/STEM-cert.pem} and {@code dir/STEM-key.pem}, generating a
     * self-signed pair (key mode 0600) for {@code CN=commonName} on first use.
     */
    public static SSLContext selfSignedIn(Path dir, String stem, String commonName) {
        Path cert = dir.resolve(stem + "-cert.pem");
        Path key = dir.resolve(stem + "-key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            try {
                SelfSigned generated = SelfSigned.generate(commonName);
                PemFiles.write(key, generated.keys().getPrivate(), true);
                PemFiles.write(cert, generated.certificate(), false);
            } catch (IOException | GeneralSecurityException e) {
                throw new StartupException("cannot create a self-signed certificate in " + dir + ": " + e.getMessage(), e);
            }
        }
        return fromPem(cert, key);
    }

    /** A context with a fresh self-signed certificate that is never written anywhere (tests, defaults). */
    public static SSLContext selfSignedInMemory(String commonName) {
        try {
            SelfSigned generated = SelfSigned.generate(commonName);
            return context(List.of(generated.certificate()), generated.keys().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a self-signed certificate", e);
        }
    }

    /**
     * Wraps an accepted plain socket as the TLS server side under the policy above. Does not
     * start the handshake; closing the result closes {@code plain}.
     */
    public static SSLSocket serverSide(SSLContext context, Socket plain, TlsVersions versions) throws IOException {
        Objects.requireNonNull(versions, "versions");
        var ssl = (SSLSocket) context.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setSSLParameters(parameters(context, ssl.getSSLParameters(), versions));
        return ssl;
    }

    /** A server-side engine under the policy above, for non-blocking listeners. */
    public static SSLEngine serverEngine(SSLContext context, TlsVersions versions) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters(context, engine.getSSLParameters(), versions));
        return engine;
    }

    /** The cipher suites the policy keeps out of {@code candidates}, in their order. */
    static String[] aeadSuites(String[] candidates) {
        return Arrays.stream(candidates).filter(ServerTls::isAllowedSuite).toArray(String[]::new);
    }

    private static boolean isAllowedSuite(String suite) {
        if (suite.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")) {
            return true; // RFC 5746 signalling, not a cipher
        }
        boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        boolean forwardSecret = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        return tls13 || (forwardSecret && aead);
    }

    private static SSLParameters parameters(SSLContext context, SSLParameters current, TlsVersions versions) {
        current.setProtocols(versions.protocolNames());
        current.setCipherSuites(aeadSuites(context.getDefaultSSLParameters().getCipherSuites()));
        current.setUseCipherSuitesOrder(true);
        return current;
    }

    private static SSLContext context(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SingleKeyManager(chain, key)}, null, new SecureRandom());
        return context;
    }
}
