package dev.protokit.tftp.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The option name/value pairs of a request or OACK (RFC 2347), in wire order. Names are
 * case-insensitive on the wire and are kept here in lower case; a name may appear only once.
 * Values are kept as sent: interpreting them is {@link TftpOption}'s job, so unknown options
 * survive decoding and can be ignored by the server as RFC 2347 requires.
 *
 * @param values the options, lower-case name to value, in wire order, unmodifiable
 */
public record TftpOptions(Map<String, String> values) {
    private static final TftpOptions EMPTY = new TftpOptions(Map.of());

    /**
     * Lower-cases the names and checks names and values are wire strings.
     *
     * @throws TftpException ILLEGAL_OPERATION for an empty or duplicate name or a bad char
     */
    public TftpOptions {
        var copy = new LinkedHashMap<String, String>();
        for (var e : values.entrySet()) {
            String name = Strings.requireWireString("option name", e.getKey(), false)
                    .toLowerCase(Locale.ROOT);
            String value = Strings.requireWireString("option value", e.getValue(), true);
            if (copy.putIfAbsent(name, value) != null) {
                throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                        "ILLEGAL_OPERATION duplicate option " + Hex.ofString(name));
            }
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** No options: a plain RFC 1350 request. */
    public static TftpOptions empty() {
        return EMPTY;
    }

    /** Options from alternating names and values, in order. */
    public static TftpOptions of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (map.put(namesAndValues[i], namesAndValues[i + 1]) != null) {
                throw new TftpException(ErrorCode.ILLEGAL_OPERATION,
                        "ILLEGAL_OPERATION duplicate option " + Hex.ofString(namesAndValues[i]));
            }
        }
        return new TftpOptions(map);
    }

    /** The value of an option, by name in any case. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The value of a known option. */
    public Optional<String> get(TftpOption option) {
        return Optional.ofNullable(values.get(option.wireName()));
    }

    /** True when there are no options. */
    public boolean isEmpty() {
        return values.isEmpty();
    }
}
