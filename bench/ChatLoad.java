// IRC load generator for bench/chat.sh (a single-file Java program: `java bench/ChatLoad.java`).
// N clients register (all at once, a virtual thread each) and join one channel; then S of them
// send MESSAGES lines at an aggregate RATE per second, each carrying its send time; every
// other member measures end-to-end latency. Prints one line of key=value results.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

public class ChatLoad {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]), rate = Integer.parseInt(a[3]);
        int messages = Integer.parseInt(a[4]);
        long pid = Long.parseLong(a[5]);
        int senders = Math.min(10, n);
        String channel = "#bench";
        long rssBefore = rss(pid);
        long t0 = System.nanoTime();
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        List<BufferedReader> readers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch joined = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        Socket[] byIndex = new Socket[n];
        BufferedReader[] inByIndex = new BufferedReader[n];
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int id = i;
                pool.submit(() -> {
                    try {
                        Socket s = new Socket(host, port);
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(120_000);
                        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        var out = s.getOutputStream();
                        out.write(("NICK b" + id + "\r\nUSER b 0 * :b\r\n").getBytes(StandardCharsets.UTF_8));
                        for (String l; (l = in.readLine()) != null; ) {
                            if (l.startsWith("PING")) out.write(("PONG " + l.substring(5) + "\r\n").getBytes());
                            if (l.contains(" 001 ")) break;
                        }
                        out.write(("JOIN " + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
                        for (String l; (l = in.readLine()) != null; ) {
                            if (l.contains(" 366 ")) break;
                        }
                        byIndex[id] = s;
                        inByIndex[id] = in;
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } finally {
                        joined.countDown();
                    }
                });
            }
            joined.await();
        }
        double registerSeconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(3000);
        long rssIdle = rss(pid);
        // Receivers: every client reads; latency from the nanoTime stamped in the text.
        long expected = (long) messages * (n - 1);
        LongAdder delivered = new LongAdder();
        long[] lat = new long[(int) Math.min(expected, 20_000_000)];
        AtomicInteger latCount = new AtomicInteger();
        CountDownLatch drained = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            BufferedReader in = inByIndex[i];
            Socket s = byIndex[i];
            if (in == null) { drained.countDown(); continue; }
            Thread.ofVirtual().start(() -> {
                int mine = 0;
                try {
                    for (String l; (l = in.readLine()) != null; ) {
                        if (l.startsWith("PING")) { s.getOutputStream().write(("PONG " + l.substring(5) + "\r\n").getBytes()); continue; }
                        int at = l.indexOf(" :T");
                        if (at < 0 || !l.contains(" PRIVMSG ")) continue;
                        int end = l.indexOf(' ', at + 3);
                        long sent = Long.parseLong(l.substring(at + 3, end < 0 ? l.length() : end));
                        int k = latCount.getAndIncrement();
                        if (k < lat.length) lat[k] = System.nanoTime() - sent;
                        delivered.increment();
                        if (++mine >= messages - messages / senders - 1 && delivered.sum() >= expected) break;
                    }
                } catch (IOException e) {
                    // timed out or closed
                } finally {
                    drained.countDown();
                }
            });
        }
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (int m = 0; m < messages; m++) {
            long due = start + m * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            Socket s = byIndex[m % senders];
            if (s == null) continue;
            s.getOutputStream().write(("PRIVMSG " + channel + " :T" + System.nanoTime() + " load\r\n").getBytes(StandardCharsets.UTF_8));
        }
        long sendEnd = System.nanoTime();
        while (delivered.sum() < expected && System.nanoTime() - sendEnd < 30_000_000_000L) Thread.sleep(50);
        double seconds = (System.nanoTime() - start) / 1e9;
        int count = Math.min(latCount.get(), lat.length);
        long[] l = Arrays.copyOf(lat, count);
        Arrays.sort(l);
        double p50 = count == 0 ? -1 : l[count / 2] / 1e6, p99 = count == 0 ? -1 : l[(int) (count * 0.99)] / 1e6;
        System.out.printf(Locale.ROOT, "clients=%d failed=%d register_s=%.2f delivered=%d expected=%d deliveries_per_s=%.0f p50_ms=%.1f p99_ms=%.1f rss_idle_kib=%d rss_base_kib=%d kib_per_client=%.1f%n",
                n, failed.get(), registerSeconds, delivered.sum(), expected, delivered.sum() / seconds, p50, p99,
                rssIdle, rssBefore, (rssIdle - rssBefore) / (double) n);
        for (Socket s : byIndex) if (s != null) s.close();
        System.exit(0);
    }

    static long rss(long pid) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
