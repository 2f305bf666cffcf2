package dev.protokit.auth.bench;

import dev.protokit.common.auth.Authenticated;
import dev.protokit.common.auth.ClientAuthenticator;
import dev.protokit.common.auth.KeyFile;
import dev.protokit.common.auth.KeyRing;
import dev.protokit.common.daemon.DaemonLauncher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Handshake throughput and latency against a running {@code auth-server}: N connections spread
 * over C concurrent workers, each one TCP connect plus the full mutual handshake, then close.
 * Workers are platform threads: with client and server sharing two cores, that halves the
 * client's scheduling overhead compared with virtual threads, so the figure is the server's. Latency is measured per connection, connect included, as a client
 * sees it. A warm-up round runs first and is not counted. Prints one line of JSON, so that
 * {@code bench/auth.sh} can tabulate it next to the Python client's.
 *
 * <pre>
 *  java -cp auth-handshake-*-all.jar dev.protokit.auth.bench.HandshakeBench \
 *       --port 7000 --key auth.keys --connections 10000 --concurrency 32
 * </pre>
 */
@Command(name = "handshake-bench", mixinStandardHelpOptions = true,
        description = "Handshakes per second and latency percentiles against an auth-server.")
public final class HandshakeBench implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", required = true, description = "Server port.")
    private int port;

    @Option(names = "--key", required = true, description = "Key file; the first key is used.")
    private Path keyFile;

    @Option(names = "--connections", defaultValue = "10000", description = "Handshakes to time (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--concurrency", defaultValue = "32", description = "Concurrent workers (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--warmup", defaultValue = "2000", description = "Untimed handshakes first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new HandshakeBench(), args));
    }

    @Override
    public Integer call() throws Exception {
        KeyRing ring = KeyFile.load(keyFile);
        var authenticator = new ClientAuthenticator(ring.first(), Duration.ofSeconds(30));
        var server = new InetSocketAddress(host, port);
        round(authenticator, server, warmup);
        long start = System.nanoTime();
        Result result = round(authenticator, server, connections);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = result.latencies();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"handshakes\": %d, \"workers\": %d, \"seconds\": %.3f, \"rate\": %.1f, "
                        + "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"failures\": %d}%n",
                connections, concurrency, seconds, connections / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), result.failures());
        ring.destroy();
        return result.failures() == 0 ? 0 : 1;
    }

    private record Result(long[] latencies, int failures) {}

    private Result round(ClientAuthenticator authenticator, InetSocketAddress server, int count) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        try (ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            Future<?>[] running = new Future<?>[Math.max(1, Math.min(concurrency, Math.max(count, 1)))];
            for (int w = 0; w < running.length; w++) {
                running[w] = workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        if (!handshake(authenticator, server)) {
                            failures.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                });
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        }
        return new Result(latencies, (int) failures.get());
    }

    private static boolean handshake(ClientAuthenticator authenticator, InetSocketAddress server) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(server, 10_000);
            Authenticated done = authenticator.authenticate(socket, socket.getInputStream(), socket.getOutputStream());
            done.keys().destroy();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
        return sorted[index] / 1e6;
    }
}
