package dev.protokit.common.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public name of a shared key, sent in the clear so the server can pick the right key
 * and keys can rotate: 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}.
 */
public record KeyId(String value) {
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks the syntax, so a key id is always safe to log and to put in a file. */
    public KeyId {
        Objects.requireNonNull(value, "value");
        if (!SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "key id must be 1-64 characters of A-Z a-z 0-9 . _ - (got " + printable(value) + ")");
        }
    }

    /** Whether {@code value} is a syntactically valid key id. */
    public static boolean isValid(String value) {
        return value != null && SYNTAX.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }

    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
