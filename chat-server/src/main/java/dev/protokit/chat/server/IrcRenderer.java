package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.MessageKind;
import dev.protokit.chat.core.TopicLog;
import dev.protokit.chat.irc.IrcCodec;
import dev.protokit.chat.irc.IrcMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Turns core events into IRC lines for one set of enabled capabilities (server-time,
 * message-tags for msgid, account-tag). Every recipient with the same set gets the same bytes,
 * so the lines of an event being fanned out are built once per set and shared by every
 * recipient: a small table of recent events (by identity), each with one slot per set. Several
 * fan-outs in flight at once (many senders, a JOIN storm) use different entries, so they do not
 * evict each other's renderings; a collision only costs a second rendering, never wrong bytes.
 */
final class IrcRenderer {
    /** The capabilities that change how an event is rendered. */
    record Profile(boolean serverTime, boolean messageTags, boolean accountTag, boolean awayNotify) {
        /** No capability that changes rendering. */
        static final Profile NONE = new Profile(false, false, false, false);

        int index() {
            return (serverTime ? 1 : 0) | (messageTags ? 2 : 0) | (accountTag ? 4 : 0) | (awayNotify ? 8 : 0);
        }
    }

    /** An event and its lines per capability set ({@link Profile#index()}), filled as recipients ask. */
    private record Rendered(ChatEvent event, AtomicReferenceArray<List<byte[]>> byProfile) {}

    /** Recent events: enough entries that the fan-outs running at once rarely share one. */
    private static final int RECENT = 256;

    static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String serverName;
    private final AtomicReferenceArray<Rendered> recent = new AtomicReferenceArray<>(RECENT);

    IrcRenderer(String serverName) {
        this.serverName = serverName;
    }

    /** The lines of {@code event} for {@code profile}, rendered once and shared with every recipient of that set. */
    List<byte[]> render(ChatEvent event, Profile profile) {
        int slot = System.identityHashCode(event) & (RECENT - 1);
        Rendered r = recent.get(slot);
        if (r == null || r.event() != event) {
            r = new Rendered(event, new AtomicReferenceArray<>(16));
            recent.set(slot, r);
        }
        List<byte[]> lines = r.byProfile().get(profile.index());
        if (lines == null) {
            lines = encode(event, profile, Instant.now());
            r.byProfile().set(profile.index(), lines);
        }
        return lines;
    }

    /**
     * The lines of a room's logged event for {@code profile}: rendered once per set and kept
     * in the entry itself, so members that read the log seconds later (a backlog) still share
     * one rendering. The bytes depend on the event, the set and the server name only, which
     * every listener of a server shares, so all of them may use the one cache.
     */
    @SuppressWarnings("unchecked")
    List<byte[]> render(TopicLog.Entry entry, Profile profile) {
        var byProfile = (AtomicReferenceArray<List<byte[]>>) entry.cache();
        if (byProfile == null) {
            byProfile = (AtomicReferenceArray<List<byte[]>>) entry.cacheIfAbsent(new AtomicReferenceArray<List<byte[]>>(16));
        }
        List<byte[]> lines = byProfile.get(profile.index());
        if (lines == null) {
            lines = encode(entry.event(), profile, entry.time());
            byProfile.set(profile.index(), lines);
        }
        return lines;
    }

    /** What a logged entry counts against a member's send queue until read: its plain rendering's bytes (rendered now, for most members). */
    int weigh(TopicLog.Entry entry) {
        int bytes = 0;
        for (byte[] line : render(entry, Profile.NONE)) {
            bytes += line.length;
        }
        return bytes;
    }

    private List<byte[]> encode(ChatEvent event, Profile profile, Instant time) {
        List<IrcMessage> messages = messages(event, profile, time);
        List<byte[]> lines = new ArrayList<>(messages.size());
        for (IrcMessage m : messages) {
            lines.add(IrcCodec.encodeLine(m));
        }
        return List.copyOf(lines);
    }

    /**
     * The IRC messages for {@code event}, stamped {@code time} (server-time) unless they carry a
     * stored message's own; ServerNotice and Closing are the session's own business.
     */
    List<IrcMessage> messages(ChatEvent event, Profile p, Instant time) {
        return switch (event) {
            case ChatEvent.Said s -> said(s.message(), s.from().mask(), s.from().account(), s.target(), p, Map.of());
            case ChatEvent.Joined j -> List.of(user(j.who(), p, time, "JOIN", "#" + j.room()));
            case ChatEvent.Parted pt -> List.of(user(pt.who(), p, time, "PART", pt.reason().isPresent()
                    ? List.of("#" + pt.room(), pt.reason().get()) : List.of("#" + pt.room())));
            case ChatEvent.Kicked k -> List.of(user(k.by(), p, time, "KICK", "#" + k.room(), k.victim(), k.reason()));
            case ChatEvent.Quit q -> List.of(user(q.who(), p, time, "QUIT", q.reason()));
            case ChatEvent.NickChanged n -> List.of(user(n.who(), p, time, "NICK", n.newNick()));
            case ChatEvent.TopicChanged t -> List.of(user(t.by(), p, time, "TOPIC", "#" + t.room(),
                    t.topic().map(x -> x.text()).orElse("")));
            case ChatEvent.ModeChanged m -> List.of(user(m.by(), p, time, "MODE", modeParams("#" + m.room(), m.changes())));
            case ChatEvent.Invited i -> List.of(user(i.by(), p, time, "INVITE", i.invitee(), "#" + i.room()));
            case ChatEvent.AwayChanged a -> !p.awayNotify() ? List.of()
                    : List.of(user(a.who(), p, time, "AWAY", a.message().map(List::of).orElse(List.of())));
            case ChatEvent.ServerNotice n -> List.of(new IrcMessage(tags(p, time, Optional.empty(), Optional.empty()),
                    Optional.of(serverName), "NOTICE", List.of("*", n.text())));
            case ChatEvent.Closing c -> List.of(IrcMessage.of("ERROR", "Closing Link: " + c.reason()));
        };
    }

    /** A message (split over several lines when too long for 512 bytes), with {@code extra} tags (batch). */
    List<IrcMessage> said(ChatMessage m, String mask, Optional<String> account, String target, Profile p,
                          Map<String, String> extra) {
        String command = m.kind() == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG";
        String to = m.conversation() instanceof dev.protokit.chat.core.Conversation.Room ? "#" + target : target;
        boolean action = m.kind() == MessageKind.ACTION;
        int overhead = 1 + mask.length() + 1 + command.length() + 1 + to.length() + 2 + (action ? 9 : 0);
        List<IrcMessage> out = new ArrayList<>();
        boolean first = true;
        for (String part : split(m.text(), IrcCodec.MAX_MESSAGE_BYTES - overhead)) {
            Map<String, String> t = tags(p, m.time(), first ? Optional.of(m.msgid()) : Optional.empty(), account);
            t.putAll(extra);
            String text = action ? "\u0001ACTION " + part + "\u0001" : part;
            out.add(new IrcMessage(t, Optional.of(mask), command, List.of(to, text)));
            first = false;
        }
        return out;
    }

    private IrcMessage user(Identity who, Profile p, Instant time, String command, String... params) {
        return user(who, p, time, command, List.of(params));
    }

    private IrcMessage user(Identity who, Profile p, Instant time, String command, List<String> params) {
        return new IrcMessage(tags(p, time, Optional.empty(), who.account()), Optional.of(who.mask()), command, params);
    }

    static Map<String, String> tags(Profile p, Instant time, Optional<String> msgid, Optional<String> account) {
        Map<String, String> t = new LinkedHashMap<>();
        if (p.serverTime()) {
            t.put("time", SERVER_TIME.format(time));
        }
        if (p.messageTags() && msgid.isPresent()) {
            t.put("msgid", msgid.get());
        }
        if (p.accountTag() && account.isPresent()) {
            t.put("account", account.get());
        }
        return t;
    }

    static List<String> modeParams(String room, List<ChatEvent.ModeChange> changes) {
        var letters = new StringBuilder();
        List<String> params = new ArrayList<>();
        params.add(room);
        Boolean sign = null;
        for (ChatEvent.ModeChange c : changes) {
            if (sign == null || sign != c.add()) {
                letters.append(c.add() ? '+' : '-');
                sign = c.add();
            }
            letters.append(c.mode().letter());
            c.argument().ifPresent(params::add);
        }
        params.add(1, letters.toString());
        return params;
    }

    /** Splits {@code text} into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a code point. */
    static List<String> split(String text, int maxBytes) {
        int budget = Math.max(16, maxBytes);
        List<String> parts = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > budget) {
                parts.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        parts.add(text.substring(start));
        return parts;
    }
}
