package dev.protokit.common.daemon;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How account tools read a new password: prompted twice without echo on the terminal, or one
 * line from standard input ({@code --password-stdin}), never from the command line. Both return
 * a {@code char[]} the caller wipes; no {@code String} holding the password is made.
 */
public final class PasswordInput {
    /** Longest password accepted. */
    public static final int MAX_PASSWORD_CHARS = 1024;

    private PasswordInput() {}

    /** Asks twice on the console; refuses when there is no terminal, nothing was typed, or the two differ. */
    public static char[] promptTwice() {
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for the password on; use --password-stdin");
        }
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Password again: ");
        try {
            if (first == null || second == null) {
                throw new IllegalArgumentException("no password entered");
            }
            if (!Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            return first.clone();
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** One line from {@code in} without its CR LF, at most {@link #MAX_PASSWORD_CHARS} characters. */
    public static char[] readLine(InputStream in) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buffer = new char[MAX_PASSWORD_CHARS + 1];
        int length = 0;
        int c;
        while ((c = reader.read()) != -1 && c != '\n') {
            if (length == buffer.length) {
                Arrays.fill(buffer, '\0');
                throw new IllegalArgumentException("password longer than " + MAX_PASSWORD_CHARS + " characters");
            }
            buffer[length++] = (char) c;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }
}
