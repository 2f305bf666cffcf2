package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The signal handling of a real daemon process: SIGTERM at the worst moment, a shutdown that hangs. */
class LifecycleTest {
    private static Process start(String... args) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LifecycleDemoMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The output so far, and the thread that reads the rest of it. */
    private record Output(StringBuilder text, Thread reader) {
        String all() throws InterruptedException {
            reader.join(java.time.Duration.ofSeconds(30));
            synchronized (text) {
                return text.toString();
            }
        }
    }

    /** Reads the output up to the listening line; then the rest goes into the text in the background. */
    private static Output readPastListening(Process process) throws IOException {
        var out = new StringBuilder();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            out.append(line).append('\n');
            if (line.contains(" listening on ")) {
                break;
            }
        }
        Thread rest = Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(output ended: ").append(e).append(")\n");
                }
            }
        });
        return new Output(out, rest);
    }

    @Test
    void sigtermRightAfterTheListeningLineStopsInOrder() throws Exception {
        for (int i = 0; i < 2; i++) {
            Process daemon = start();
            Output out = readPastListening(daemon);
            daemon.toHandle().destroy(); // SIGTERM, the moment the port is announced (Process.destroy closes the pipes)
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "still running");
            String text = out.all();
            assertEquals(0, daemon.exitValue(), text);
            assertTrue(text.contains("demo stopped"), text);
        }
    }

    @Test
    void aShutdownThatOverrunsTheGracePeriodEndsTheProcess() throws Exception {
        Process daemon = start("hang");
        Output out = readPastListening(daemon);
        daemon.toHandle().destroy();
        // grace 500 ms + Lifecycle.OVERRUN (5 s); generous for a loaded machine
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "a hanging shutdown was not ended");
        String text = out.all();
        assertEquals(DaemonLauncher.FAILURE, daemon.exitValue(), text);
        assertTrue(text.contains("past the grace period"), text);
    }
}
