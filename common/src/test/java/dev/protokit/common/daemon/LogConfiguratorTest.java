package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogConfiguratorTest {

    @Test
    void formatsOneLinePerEventWithShortLoggerName() {
        var context = new LoggerContext();
        var layout = new LogConfigurator.LineLayout();
        layout.setContext(context);
        layout.start();
        var event = new LoggingEvent("x", context.getLogger("dev.protokit.tftp.server.Transfers"), Level.INFO,
                "transfer end peer={} bytes={}", null, new Object[] {"127.0.0.1:5000", 42});
        String line = layout.doLayout(event);
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  Transfers - "
                + "transfer end peer=127\\.0\\.0\\.1:5000 bytes=42\\R"), line);
    }

    @Test
    void appendsTheStackTraceOfAFailure() {
        var context = new LoggerContext();
        var layout = new LogConfigurator.LineLayout();
        layout.setContext(context);
        layout.start();
        var event = new LoggingEvent("x", context.getLogger("a.B"), Level.ERROR, "failed", new IllegalStateException("boom"), null);
        String text = layout.doLayout(event);
        assertTrue(text.contains("ERROR B - failed") && text.contains("java.lang.IllegalStateException: boom"), text);
    }

    @Test
    void isTheActiveConfigurationByDefault() {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertTrue(root.getAppender("stderr") != null, "the programmatic stderr appender is installed");
    }
}
