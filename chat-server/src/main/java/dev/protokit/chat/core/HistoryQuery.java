package dev.protokit.chat.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A page of history, as IRCv3 {@code draft/chathistory} and the native history request ask for
 * it: the latest messages, those before or after an anchor, around one, or between two. Anchors
 * are a message id or a server time. Results are always oldest first, at most {@code limit}.
 */
public sealed interface HistoryQuery {
    /** Most messages one page returns (ISUPPORT CHATHISTORY=N). */
    int MAX_LIMIT = 500;

    /** How many messages at most. */
    int limit();

    /** A point in history: a message id or a time. */
    sealed interface Anchor permits ById, ByTime {}

    /** The message with this server id (exclusive bound). */
    record ById(long id) implements Anchor {}

    /** This server time (exclusive bound). */
    record ByTime(Instant time) implements Anchor {
        public ByTime {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The newest {@code limit} messages. */
    record Latest(int limit) implements HistoryQuery {
        public Latest {
            checkLimit(limit);
        }
    }

    /** The {@code limit} messages just before {@code anchor}. */
    record Before(Anchor anchor, int limit) implements HistoryQuery {
        public Before {
            Objects.requireNonNull(anchor, "anchor");
            checkLimit(limit);
        }
    }

    /** The {@code limit} messages just after {@code anchor}. */
    record After(Anchor anchor, int limit) implements HistoryQuery {
        public After {
            Objects.requireNonNull(anchor, "anchor");
            checkLimit(limit);
        }
    }

    /** Up to {@code limit} messages centred on {@code anchor}: half before, half after. */
    record Around(Anchor anchor, int limit) implements HistoryQuery {
        public Around {
            Objects.requireNonNull(anchor, "anchor");
            checkLimit(limit);
        }
    }

    /** Messages strictly between {@code from} and {@code to} (either order), the first {@code limit} from {@code from}'s side. */
    record Between(Anchor from, Anchor to, int limit) implements HistoryQuery {
        public Between {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            checkLimit(limit);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ChatException(ChatError.INVALID_REQUEST, "history limit " + limit + " (1.." + MAX_LIMIT + ")");
        }
    }
}
