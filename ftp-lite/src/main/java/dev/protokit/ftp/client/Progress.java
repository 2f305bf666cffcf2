package dev.protokit.ftp.client;

import dev.protokit.common.daemon.Terminal;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A transfer's progress bar on stderr, with rate and ETA, or nothing at all when quiet or when
 * nobody is watching (stderr not a terminal), so logs and pipes stay clean.
 */
final class Progress implements AutoCloseable {
    private static final long MIB = 1 << 20;

    private final Optional<ProgressBar> bar;

    private Progress(Optional<ProgressBar> bar) {
        this.bar = bar;
    }

    /** Whether bars are drawn at all: not with {@code --quiet}, and only on a terminal. */
    static boolean enabled(ConnectionOptions options) {
        return !options.quiet && Terminal.isInteractive();
    }

    /**
     * Starts a bar for {@code name}: {@code total} bytes if known (else -1, an indefinite bar),
     * already {@code done} bytes in when resuming.
     */
    static Progress start(boolean enabled, String name, long total, long done) {
        if (!enabled) {
            return new Progress(Optional.empty());
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(name.length() > 30 ? "..." + name.substring(name.length() - 27) : name)
                .setInitialMax(total)
                .setUnit(" MiB", MIB)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed();
        if (done > 0) {
            builder.startsFrom(done, Duration.ZERO);
        }
        return new Progress(Optional.of(builder.build()));
    }

    void advance(long bytes) {
        bar.ifPresent(b -> b.stepBy(bytes));
    }

    @Override
    public void close() {
        bar.ifPresent(ProgressBar::close);
    }
}
