package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.ChatStore;
import dev.protokit.chat.core.Client;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.HistoryQuery;
import dev.protokit.chat.core.HistoryQuery.Anchor;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.irc.Capability;
import dev.protokit.chat.irc.IrcMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IRCv3 {@code draft/chathistory}: LATEST, BEFORE, AFTER, AROUND, BETWEEN (by {@code msgid=} or
 * {@code timestamp=}) and TARGETS, each answered in one {@code chathistory} batch with the
 * stored server time and msgid of every message. Errors are standard replies:
 * {@code FAIL CHATHISTORY INVALID_PARAMS|INVALID_TARGET|UNKNOWN_COMMAND|MESSAGE_ERROR}.
 */
final class IrcHistory {
    private static final AtomicLong BATCHES = new AtomicLong();

    private IrcHistory() {}

    static void handle(IrcSession s, Client c, IrcMessage m) {
        List<String> p = m.params();
        if (p.isEmpty()) {
            fail(s, "INVALID_PARAMS", List.of("*"), "Missing subcommand");
            return;
        }
        String sub = p.getFirst().toUpperCase(Locale.ROOT);
        try {
            switch (sub) {
                case "LATEST" -> {
                    need(p, 4);
                    int limit = limit(p.get(3));
                    if (p.get(2).equals("*")) {
                        page(s, c, p.get(1), new HistoryQuery.Latest(limit), null);
                    } else {
                        page(s, c, p.get(1), new HistoryQuery.Latest(limit), anchor(p.get(2)));
                    }
                }
                case "BEFORE" -> page(s, c, need(p, 4).get(1), new HistoryQuery.Before(anchor(p.get(2)), limit(p.get(3))), null);
                case "AFTER" -> page(s, c, need(p, 4).get(1), new HistoryQuery.After(anchor(p.get(2)), limit(p.get(3))), null);
                case "AROUND" -> page(s, c, need(p, 4).get(1), new HistoryQuery.Around(anchor(p.get(2)), limit(p.get(3))), null);
                case "BETWEEN" -> page(s, c, need(p, 5).get(1),
                        new HistoryQuery.Between(anchor(p.get(2)), anchor(p.get(3)), limit(p.get(4))), null);
                case "TARGETS" -> targets(s, c, need(p, 4));
                default -> fail(s, "UNKNOWN_COMMAND", List.of(sub.length() > 20 ? sub.substring(0, 20) : sub), "Unknown subcommand");
            }
        } catch (BadParams e) {
            fail(s, "INVALID_PARAMS", List.of(sub), e.getMessage());
        }
    }

    /** A page; for LATEST with a reference, only messages after it ({@code after} non-null). */
    private static void page(IrcSession s, Client c, String target, HistoryQuery q, Anchor after) {
        Conversation conv;
        if (target.startsWith("#") && Names.isValidRoom(target.substring(1))) {
            conv = new Conversation.Room(target.substring(1));
        } else if (Names.isValidNick(target) && c.account().isPresent()) {
            conv = new Conversation.Direct(c.account().get(), s.ctx.core().client(target)
                    .map(x -> x.account().orElse(x.nick())).orElse(target));
        } else {
            fail(s, "INVALID_TARGET", List.of(subOf(q), target), "Messages could not be retrieved");
            return;
        }
        List<ChatMessage> messages;
        try {
            messages = c.history(conv, q);
        } catch (ChatException e) {
            fail(s, "INVALID_TARGET", List.of(subOf(q), target), "Messages could not be retrieved");
            return;
        }
        if (after != null) {
            messages = messages.stream().filter(msg -> switch (after) {
                case HistoryQuery.ById(long id) -> msg.id() > id;
                case HistoryQuery.ByTime(Instant t) -> msg.time().isAfter(t);
            }).toList();
        }
        String batch = batchId();
        boolean batches = s.has(Capability.BATCH);
        if (batches) {
            s.send(IrcMessage.from(s.serverName, "BATCH", List.of("+" + batch, "chathistory", target)));
        }
        Map<String, String> tag = batches ? Map.of("batch", batch) : Map.of();
        String me = c.account().map(Names::fold).orElse(Names.fold(c.nick()));
        for (ChatMessage msg : messages) {
            String to = switch (msg.conversation()) {
                case Conversation.Room r -> r.name();
                case Conversation.Direct d -> msg.fromAccount().map(Names::fold).orElse(Names.fold(msg.fromNick())).equals(me)
                        ? target : c.nick();
            };
            String mask = msg.fromNick() + "!" + msg.fromAccount().orElse("~" + msg.fromNick()) + "@" + s.serverName;
            for (IrcMessage line : s.renderer.said(msg, mask, msg.fromAccount(), to, s.profile(), tag)) {
                s.send(line);
            }
        }
        if (batches) {
            s.send(IrcMessage.from(s.serverName, "BATCH", List.of("-" + batch)));
        }
    }

    private static void targets(IrcSession s, Client c, List<String> p) {
        Instant from = time(p.get(1));
        Instant to = time(p.get(2));
        List<ChatStore.Target> found = c.targets(from, to, limit(p.get(3)));
        String batch = batchId();
        boolean batches = s.has(Capability.BATCH);
        if (batches) {
            s.send(IrcMessage.from(s.serverName, "BATCH", List.of("+" + batch, "draft/chathistory-targets")));
        }
        String me = c.account().map(Names::fold).orElse("");
        for (ChatStore.Target t : found) {
            String name = switch (t.conversation()) {
                case Conversation.Room r -> "#" + r.name();
                case Conversation.Direct d -> d.peerOf(me);
            };
            IrcMessage line = IrcMessage.from(s.serverName, "CHATHISTORY",
                    List.of("TARGETS", name, "timestamp=" + IrcRenderer.SERVER_TIME.format(t.latest())));
            s.send(batches ? line.withTags(Map.of("batch", batch)) : line);
        }
        if (batches) {
            s.send(IrcMessage.from(s.serverName, "BATCH", List.of("-" + batch)));
        }
    }

    private static Anchor anchor(String ref) {
        if (ref.startsWith("msgid=")) {
            try {
                return new HistoryQuery.ById(Long.parseLong(ref.substring(6)));
            } catch (NumberFormatException e) {
                throw new BadParams("Unknown msgid " + printable(ref.substring(6)));
            }
        }
        if (ref.startsWith("timestamp=")) {
            return new HistoryQuery.ByTime(time(ref));
        }
        throw new BadParams("Reference must be msgid=ID or timestamp=TIME, got " + printable(ref));
    }

    private static Instant time(String ref) {
        String t = ref.startsWith("timestamp=") ? ref.substring(10) : ref;
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new BadParams("Bad timestamp " + printable(t));
        }
    }

    private static int limit(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new BadParams("Limit must be positive");
            }
            return Math.min(n, HistoryQuery.MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw new BadParams("Limit must be a number");
        }
    }

    private static List<String> need(List<String> p, int n) {
        if (p.size() < n) {
            throw new BadParams("Not enough parameters");
        }
        return p;
    }

    private static String subOf(HistoryQuery q) {
        return q.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    private static String batchId() {
        return "h" + Long.toString(BATCHES.incrementAndGet(), 36);
    }

    private static void fail(IrcSession s, String code, List<String> context, String text) {
        List<String> params = new ArrayList<>(List.of("CHATHISTORY", code));
        params.addAll(context);
        params.add(text);
        s.send(IrcMessage.from(s.serverName, "FAIL", params));
    }

    private static String printable(String s) {
        return Names.printable(s).replace(' ', '?');
    }

    /** A malformed CHATHISTORY request. */
    private static final class BadParams extends RuntimeException {
        BadParams(String message) {
            super(message, null, false, false);
        }
    }
}
