package dev.protokit.chat.core;

/** How a message is meant: IRC PRIVMSG, NOTICE (never auto-replied to), or an action (/me). */
public enum MessageKind {
    /** An ordinary message. */
    MESSAGE,
    /** A notice: clients never answer it automatically. */
    NOTICE,
    /** An action ({@code /me waves}); IRC carries it as CTCP ACTION. */
    ACTION
}
