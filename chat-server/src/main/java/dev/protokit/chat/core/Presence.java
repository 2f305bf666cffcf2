package dev.protokit.chat.core;

/** Whether an account or guest is reachable: online, online but away, or gone. */
public enum Presence {
    /** Connected and not away. */
    ONLINE,
    /** Connected with an away message. */
    AWAY,
    /** No connection; the account's last-seen time says since when. */
    OFFLINE
}
