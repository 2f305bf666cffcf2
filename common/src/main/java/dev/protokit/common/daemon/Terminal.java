package dev.protokit.common.daemon;

import java.io.Console;

/** Whether a person is watching: decides progress bars and password prompts. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * True when the process has a console that is a terminal. Since JDK 22 {@link System#console()}
     * may return a console even when standard streams are redirected, so {@link Console#isTerminal()}
     * decides.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
