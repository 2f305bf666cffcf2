package dev.protokit.rendezvous.server;

/**
 * Which of the server's local endpoints sends a response (RFC 5780 section 4.2): the one the
 * request came to, or the one with the other IP address and/or the other port, as a
 * CHANGE-REQUEST asks. Without an alternate address only {@link #SAME} exists.
 */
public enum Via {
    /** The endpoint the request arrived on. */
    SAME(false, false),
    /** Same address, the other port. */
    CHANGE_PORT(false, true),
    /** The other address, same port. */
    CHANGE_IP(true, false),
    /** The other address and the other port. */
    CHANGE_BOTH(true, true);

    private final boolean changeIp;
    private final boolean changePort;

    Via(boolean changeIp, boolean changePort) {
        this.changeIp = changeIp;
        this.changePort = changePort;
    }

    /** The endpoint a CHANGE-REQUEST's flags name. */
    public static Via of(boolean changeIp, boolean changePort) {
        return changeIp ? (changePort ? CHANGE_BOTH : CHANGE_IP) : (changePort ? CHANGE_PORT : SAME);
    }

    /** Whether the address changes. */
    public boolean changeIp() {
        return changeIp;
    }

    /** Whether the port changes. */
    public boolean changePort() {
        return changePort;
    }
}
