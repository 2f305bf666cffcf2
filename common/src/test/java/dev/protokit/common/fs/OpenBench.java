package dev.protokit.common.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-open cost on the RETR / RRQ hot path, run by {@code bench/confine-open.sh}: opening a
 * small file for reading (and closing it) through {@link ConfinedRoot} with each resolver, against
 * what the servers did before: {@code toRealPath()} for the check, then {@code FileChannel.open}
 * (the racy pair). Rounds are interleaved; the median of the rounds is printed per row, in ns.
 *
 * <p>Arguments: a scratch directory, iterations per round, rounds.
 */
public final class OpenBench {
    private OpenBench() {}

    interface Op {
        void run() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path home = Files.createDirectories(dir.resolve("home/a/b/c"));
        Files.writeString(home.resolve("file"), "x".repeat(4096));
        Files.writeString(dir.resolve("home/file"), "x".repeat(4096));
        Path root = dir.resolve("home").toRealPath();
        try (var openat2 = ConfinedRoot.open(root, Resolver.OPENAT2); var walk = ConfinedRoot.open(root, Resolver.WALK)) {
            Map<String, Op> ops = new LinkedHashMap<>();
            for (String name : List.of("file", "a/b/c/file")) {
                ops.put("toRealPath + FileChannel.open  " + name, () -> {
                    Path real = root.resolve(name).toRealPath();
                    if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                        throw new IOException("outside");
                    }
                    FileChannel.open(real, StandardOpenOption.READ).close();
                });
                ops.put("ConfinedRoot openat2 openRead  " + name, () -> openat2.openRead(name).close());
                ops.put("ConfinedRoot walk openRead     " + name, () -> walk.openRead(name).close());
            }
            ops.put("Files.readAttributes (lstat)   a/b/c/file",
                    () -> Files.readAttributes(root.resolve("a/b/c/file"), "size,lastModifiedTime"));
            ops.put("ConfinedRoot openat2 stat      a/b/c/file", () -> openat2.stat("a/b/c/file"));
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int r = -1; r < rounds; r++) {
                for (var e : ops.entrySet()) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < iterations; i++) {
                        e.getValue().run();
                    }
                    double ns = (System.nanoTime() - t0) / (double) iterations;
                    if (r >= 0) { // round -1 warms up
                        results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ns);
                    }
                }
            }
            System.out.printf("| operation | path | ns per call (median of %d x %d) |%n|---|---|---|%n", rounds, iterations);
            for (var e : results.entrySet()) {
                List<Double> v = new ArrayList<>(e.getValue());
                v.sort(null);
                String[] parts = e.getKey().split("  +");
                System.out.printf("| %s | %s | %.0f |%n", parts[0], parts[1], v.get(v.size() / 2));
            }
        }
    }
}
