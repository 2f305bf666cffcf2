package dev.protokit.ftp.client;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether a person is watching: decides progress bars and password prompts. On JDK 22 and later
 * {@link System#console()} may exist even when redirected, so {@code Console.isTerminal()} is
 * asked too (looked up reflectively: the code targets Java 21).
 */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
