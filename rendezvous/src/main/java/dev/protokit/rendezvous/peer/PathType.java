package dev.protokit.rendezvous.peer;

/** How the two peers reach each other, as the chat shows it. */
public enum PathType {
    /** A host candidate: both peers on one network, no NAT in between. */
    LAN("direct LAN"),
    /** A server-reflexive (or predicted) address: a hole punched through the NATs. */
    DIRECT("direct through NAT"),
    /** Through a TURN relay. */
    RELAYED("relayed");

    private final String label;

    PathType(String label) {
        this.label = label;
    }

    /** The words shown to the user. */
    public String label() {
        return label;
    }
}
