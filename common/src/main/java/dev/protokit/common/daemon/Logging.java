package dev.protokit.common.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Sets the process-wide log level from {@code --log-level}. */
public final class Logging {
    private Logging() {}

    /** Sets the root level; {@code level} is TRACE, DEBUG, INFO, WARN, ERROR or OFF. */
    public static void setLevel(String level) {
        String name = level.strip().toUpperCase(Locale.ROOT);
        Level parsed = Level.toLevel(name, null);
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "unknown log level '" + level + "' (use TRACE, DEBUG, INFO, WARN, ERROR or OFF)");
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(parsed);
        }
    }
}
