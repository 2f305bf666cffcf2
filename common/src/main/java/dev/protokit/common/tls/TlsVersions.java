package dev.protokit.common.tls;

import java.util.List;

/** The protocol versions a server-side socket may negotiate. */
public enum TlsVersions {
    /** TLS 1.3, or TLS 1.2 for clients that offer nothing newer. */
    TLS_1_2_AND_1_3(List.of("TLSv1.3", "TLSv1.2")),
    /**
     * TLS 1.2 alone: for protocols that must resume a 1.2 session on a second connection or
     * cannot read a TLS 1.3 NewSessionTicket sent after the handshake (FTPS data connections).
     */
    TLS_1_2(List.of("TLSv1.2"));

    private final List<String> names;

    TlsVersions(List<String> names) {
        this.names = names;
    }

    /** The JSSE protocol names, newest first. */
    public String[] protocolNames() {
        return names.toArray(String[]::new);
    }
}
