package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every module's ahead-of-time training class shares (the {@code AOT_TRAINING} class of a
 * launcher, see {@code bin/_launch}): a throwaway directory, the daemon started on free
 * loopback ports and awaited, and an exit status the launcher reads (0: keep the cache).
 */
public final class AotTrainingRun {
    /** The module's training: the work the cache should remember, in {@code dir}; true when every step worked. */
    @FunctionalInterface
    public interface Work {
        boolean train(Path dir) throws Exception;
    }

    private AotTrainingRun() {}

    /**
     * Runs {@code work} in a new temporary directory named after {@code prefix}, then stops any
     * daemon it started ({@link Lifecycle#requestStop}), deletes the directory and exits the JVM:
     * 0 when the work returned true, 1 when it returned false or threw.
     */
    public static void exit(String prefix, Work work) throws Exception {
        System.clearProperty(DocGen.PROPERTY); // JAVA_OPTS of a packaging run: train, write no man page
        Path dir = Files.createTempDirectory(prefix);
        int status = 1;
        try {
            status = work.train(dir) ? 0 : 1;
        } finally {
            Lifecycle.requestStop();
            delete(dir);
        }
        System.exit(status);
    }

    /** {@code n} distinct loopback ports that were free a moment ago (bound at once, then closed). */
    public static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
                ports[i] = sockets.get(i).getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /** Whether a TCP connection to the loopback {@code port} succeeds within 30 s while {@code server} lives. */
    public static boolean awaitListening(int port, Thread server) throws InterruptedException {
        for (int i = 0; i < 600 && server.isAlive(); i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
