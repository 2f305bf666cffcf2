package dev.protokit.ftp.server;

import dev.protokit.common.daemon.StartupException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for FTPS (RFC 4217): the server's {@link SSLContext} from PEM files, or from a self-signed
 * ECDSA P-256 certificate generated once and kept in the state directory (key file mode 0600),
 * and server-side socket wrapping limited to TLS 1.2 and 1.3.
 */
public final class Tls {
    private static final String[] TLS_12_AND_13 = {"TLSv1.3", "TLSv1.2"};
    private static final String[] TLS_12 = {"TLSv1.2"};
    private static final char[] NO_PASSWORD = new char[0];

    private Tls() {}

    /** A context from a PEM certificate chain and a PEM private key (PKCS#8 or traditional). */
    public static SSLContext fromPem(Path certFile, Path keyFile) {
        try {
            return context(readChain(certFile), readKey(keyFile));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new StartupException("cannot load TLS certificate " + certFile + " / key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** A context from {@code dir/ftp-cert.pem} and {@code dir/ftp-key.pem}, generating both on first use. */
    public static SSLContext selfSignedIn(Path dir) {
        Path cert = dir.resolve("ftp-cert.pem");
        Path key = dir.resolve("ftp-key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            try {
                KeyPair pair = newKeyPair();
                writePem(key, pair.getPrivate(), true);
                writePem(cert, selfSign(pair), false);
            } catch (IOException | GeneralSecurityException e) {
                throw new StartupException("cannot create a self-signed certificate in " + dir + ": " + e.getMessage(), e);
            }
        }
        return fromPem(cert, key);
    }

    /** A context with a fresh self-signed certificate that is never written anywhere (tests). */
    public static SSLContext selfSignedInMemory() {
        try {
            KeyPair pair = newKeyPair();
            return context(List.of(selfSign(pair)), pair.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a self-signed certificate", e);
        }
    }

    /**
     * Wraps an accepted socket as the TLS server side, TLS 1.2 and 1.3, or 1.2 alone when
     * {@code tls12Only}. Does not start the handshake.
     *
     * <p>Why 1.2 alone sometimes: a TLS 1.3 server sends NewSessionTicket after the handshake.
     * On an upload the client never reads its data connection, so the ticket is still unread
     * when it closes, and its kernel answers with a TCP reset that destroys the tail of the
     * upload (seen with curl and lftp). TLS 1.2 puts the ticket inside the handshake. And a
     * TLS 1.3 session cannot be resumed over 1.2, so when data connections must resume the
     * control session, the control connection is 1.2 as well.
     */
    public static SSLSocket serverSide(SSLContext context, Socket plain, boolean tls12Only) throws IOException {
        var ssl = (SSLSocket) context.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(tls12Only ? TLS_12 : TLS_12_AND_13);
        return ssl;
    }

    private static SSLContext context(List<X509Certificate> chain, PrivateKey key)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ftp", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, NO_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    private static List<X509Certificate> readChain(Path file) throws IOException, GeneralSecurityException {
        var converter = new JcaX509CertificateConverter();
        var chain = new ArrayList<X509Certificate>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(in)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException("no CERTIFICATE block in " + file);
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        var converter = new JcaPEMKeyConverter();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(in)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no unencrypted PRIVATE KEY block in " + file);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSign(KeyPair pair) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        var name = new X500Name("CN=protokit ftp-lite (self-signed)");
        var serial = new BigInteger(64, new SecureRandom());
        var builder = new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
        var names = new ArrayList<GeneralName>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        try {
            names.add(new GeneralName(GeneralName.dNSName, InetAddress.getLocalHost().getHostName()));
        } catch (IOException e) {
            // no host name: localhost and the loopback addresses will do
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Writes a PEM file atomically; a private key is created with mode 0600 before any byte is written. */
    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + temp, e);
        }
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
             var pem = new JcaPEMWriter(out)) {
            pem.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
