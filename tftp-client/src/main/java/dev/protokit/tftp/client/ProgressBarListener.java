package dev.protokit.tftp.client;

import java.util.OptionalLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA on the terminal (stderr), for the CLI. The bar is made when
 * the size is known (tsize) or not (then it just counts), and closed by {@link #close()}.
 */
final class ProgressBarListener implements ProgressListener, AutoCloseable {
    private static final long MIB = 1024 * 1024;
    private final String task;
    private ProgressBar bar;

    ProgressBarListener(String task) {
        this.task = task;
    }

    @Override
    public void started(OptionalLong size) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(size.orElse(-1))
                .setUnit("MiB", MIB)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .build();
    }

    @Override
    public void progress(long bytes) {
        if (bar != null) {
            bar.stepTo(bytes);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

}
