package dev.protokit.common.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's one certificate chain and key, handed to JSSE as they are. A {@code KeyStore}
 * would do the same after wrapping the key with PBKDF2 (PKCS#12: 10,000 HMAC-SHA256 rounds to
 * store it and as many to read it back), which was a third of the FTP server's start-up on a
 * loaded 2-core host; nothing is ever written, so the wrapping protects nothing.
 *
 * <p>JSSE asks for a key type ({@code RSA}, {@code RSASSA-PSS}, {@code EC}, {@code EdDSA}...) per
 * signature scheme it may use; the alias is offered only when the key is of that type, as the
 * JDK's own key managers do, so the handshake picks a scheme the key can sign.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    static final String ALIAS = "server";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    SingleKeyManager(List<X509Certificate> chain, PrivateKey key) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        this.chain = chain.toArray(X509Certificate[]::new);
        this.key = Objects.requireNonNull(key, "key");
    }

    private boolean fits(String keyType) {
        return keyType != null && keyType.equals(key.getAlgorithm())
                && keyType.equals(chain[0].getPublicKey().getAlgorithm());
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    /** A server only: never a client certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
