package dev.protokit.chat.core;

import java.util.Optional;

/**
 * The room modes the core enforces, with their IRC letters (the native protocol uses the names).
 * Flags are on or off; KEY and LIMIT carry a value; BAN is a list; OPERATOR and VOICE apply to a
 * member. ISUPPORT {@code CHANMODES=b,k,l,imnt} and {@code PREFIX=(ov)@+} follow from this.
 */
public enum RoomMode {
    /** +t: only room operators change the topic. */
    TOPIC_LOCK('t', Kind.FLAG),
    /** +n: no messages from clients outside the room. */
    NO_EXTERNAL('n', Kind.FLAG),
    /** +i: joining needs an invitation. */
    INVITE_ONLY('i', Kind.FLAG),
    /** +m: only operators and voiced members speak. */
    MODERATED('m', Kind.FLAG),
    /** +k KEY: joining needs the key. */
    KEY('k', Kind.VALUE),
    /** +l N: at most N members. */
    LIMIT('l', Kind.VALUE),
    /** +b MASK: a nick!user@host mask that may not join or speak. */
    BAN('b', Kind.LIST),
    /** +o NICK: room operator. */
    OPERATOR('o', Kind.MEMBER),
    /** +v NICK: may speak in a moderated room. */
    VOICE('v', Kind.MEMBER);

    /** How a mode takes its argument. */
    public enum Kind {
        /** No argument. */
        FLAG,
        /** An argument when set, none when unset (IRC type B/C). */
        VALUE,
        /** A list entry argument both ways (IRC type A). */
        LIST,
        /** A member's nick both ways (IRC PREFIX). */
        MEMBER
    }

    private final char letter;
    private final Kind kind;

    RoomMode(char letter, Kind kind) {
        this.letter = letter;
        this.kind = kind;
    }

    /** The IRC mode letter. */
    public char letter() {
        return letter;
    }

    /** How the mode takes its argument. */
    public Kind kind() {
        return kind;
    }

    private static final RoomMode[] BY_LETTER = new RoomMode[128];

    static {
        for (RoomMode m : values()) {
            if (BY_LETTER[m.letter] != null) {
                throw new ExceptionInInitializerError("duplicate mode letter " + m.letter);
            }
            BY_LETTER[m.letter] = m;
        }
    }

    /** The mode with IRC letter {@code c}, if any. */
    public static Optional<RoomMode> ofLetter(char c) {
        return c < 128 ? Optional.ofNullable(BY_LETTER[c]) : Optional.empty();
    }
}
