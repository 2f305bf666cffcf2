package dev.protokit.chat.irc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One IRC message: IRCv3 tags (unescaped values; an empty value is a tag without one), an
 * optional source prefix, the command (upper case, or a three-digit numeric) and its parameters
 * (the last may hold spaces). Immutable; see {@link IrcCodec} for the wire form.
 */
public record IrcMessage(Map<String, String> tags, Optional<String> source, String command, List<String> params) {
    public IrcMessage {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(command, "command");
        params = List.copyOf(params);
    }

    /** A message without tags or source (what clients send). */
    public static IrcMessage of(String command, String... params) {
        return new IrcMessage(Map.of(), Optional.empty(), command, List.of(params));
    }

    /** A message from {@code source}. */
    public static IrcMessage from(String source, String command, List<String> params) {
        return new IrcMessage(Map.of(), Optional.of(source), command, params);
    }

    /** Parameter {@code i}, if present. */
    public Optional<String> param(int i) {
        return i < params.size() ? Optional.of(params.get(i)) : Optional.empty();
    }

    /** This message with {@code moreTags} added (later ones win). */
    public IrcMessage withTags(Map<String, String> moreTags) {
        if (moreTags.isEmpty()) {
            return this;
        }
        var all = new LinkedHashMap<>(tags);
        all.putAll(moreTags);
        return new IrcMessage(all, source, command, params);
    }
}
