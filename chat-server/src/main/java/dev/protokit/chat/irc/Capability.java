package dev.protokit.chat.irc;

import java.util.Optional;

/**
 * The IRCv3 capabilities this server offers in {@code CAP LS}, with their wire names and (for
 * CAP LS 302) values.
 */
public enum Capability {
    SASL("sasl", "PLAIN,SCRAM-SHA-256"),
    SERVER_TIME("server-time", ""),
    MESSAGE_TAGS("message-tags", ""),
    ECHO_MESSAGE("echo-message", ""),
    AWAY_NOTIFY("away-notify", ""),
    ACCOUNT_TAG("account-tag", ""),
    BATCH("batch", ""),
    CAP_NOTIFY("cap-notify", ""),
    MULTI_PREFIX("multi-prefix", ""),
    CHATHISTORY("draft/chathistory", "");

    private final String wire;
    private final String value;

    Capability(String wire, String value) {
        this.wire = wire;
        this.value = value;
    }

    /** The name in CAP messages. */
    public String wire() {
        return wire;
    }

    /** The CAP LS 302 form: {@code name} or {@code name=value}. */
    public String advertised(boolean withValues) {
        return withValues && !value.isEmpty() ? wire + "=" + value : wire;
    }

    /** The capability named {@code name} (case-sensitive, as the spec says). */
    public static Optional<Capability> ofWire(String name) {
        for (Capability c : values()) {
            if (c.wire.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
