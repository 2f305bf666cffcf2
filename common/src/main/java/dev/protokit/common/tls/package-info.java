/**
 * TLS for every protokit listener and client: server contexts from PEM files or a self-signed
 * certificate kept in the state directory ({@link dev.protokit.common.tls.ServerTls}), the one
 * protocol and cipher-suite policy (TLS 1.2 AEAD suites and TLS 1.3, no client-initiated
 * renegotiation), and client trust from the JDK store or a {@code --ca-file}
 * ({@link dev.protokit.common.tls.ClientTrust}).
 */
package dev.protokit.common.tls;
