// IRC load generator for bench/chat.sh (a single-file Java program: `java bench/ChatLoad.java`).
//
//   java bench/ChatLoad.java HOST PORT N RATE MESSAGES PID [CHANNEL_SIZE [ws]]
//
// With `ws` every client speaks IRC over a WebSocket (PORT is chat-server's --web-port with
// --web-plain; path /irc, subprotocol text.ircv3.net, one masked text frame per line), so the
// same load measures the WebSocket front door; otherwise plain IRC over TCP.
// N clients register (all at once, a virtual thread each) and join channels of CHANNEL_SIZE
// members (#bench0 holds the first CHANNEL_SIZE clients, #bench1 the next...; default: all in
// #bench0); then S of #bench0's members send MESSAGES lines at an aggregate RATE per second,
// each carrying its send time, and every other member of #bench0 measures end-to-end latency.
// Resident memory is read before the clients connect and IDLE seconds (-Didle.seconds, 10)
// after the last one joined. The server's CPU time (user + system, from /proc/PID/stat) is
// read at each phase boundary, so the cost of the work can be compared even when other
// programs share the cores. Per-client figures divide by the clients that registered.
// Prints one line of key=value results.
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
        int channelSize = a.length > 6 ? Math.min(n, Integer.parseInt(a[6])) : n;
        boolean ws = a.length > 7 && a[7].equals("ws");
        int senders = Math.min(10, channelSize);
        long rssBefore = rss(pid);
        long cpu0 = cpuMillis(pid);
        long t0 = System.nanoTime();
        CountDownLatch joined = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        Socket[] byIndex = new Socket[n];
        InputStream[] inByIndex = new InputStream[n];
        OutputStream[] outByIndex = new OutputStream[n];
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int id = i;
                pool.submit(() -> {
                    try {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(host, port), 120_000);
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(120_000);
                        InputStream in = new BufferedInputStream(s.getInputStream(), 2048);
                        OutputStream out = s.getOutputStream();
                        if (ws) {
                            out = new WsOut(out);
                            in = new WsIn(upgrade(in, s.getOutputStream(), host + ":" + port));
                        }
                        out.write(("NICK b" + id + "\r\nUSER b 0 * :b\r\n").getBytes(StandardCharsets.UTF_8));
                        for (String l; (l = readLine(in)) != null; ) {
                            if (l.startsWith("PING")) out.write(("PONG " + l.substring(5) + "\r\n").getBytes());
                            if (l.contains(" 001 ")) break;
                        }
                        out.write(("JOIN #bench" + id / channelSize + "\r\n").getBytes(StandardCharsets.UTF_8));
                        for (String l; (l = readLine(in)) != null; ) {
                            if (l.contains(" 366 ")) break;
                        }
                        byIndex[id] = s;
                        inByIndex[id] = in;
                        outByIndex[id] = out;
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
        long cpuRegister = cpuMillis(pid) - cpu0;
        // Idle means settled: collectors and allocators get the same quiet moment to give memory back.
        Thread.sleep(Long.getLong("idle.seconds", 10) * 1000);
        long rssIdle = rss(pid);
        // Receivers: every member of #bench0 reads; latency from the nanoTime stamped in the text.
        long expected = (long) messages * (channelSize - 1);
        LongAdder delivered = new LongAdder();
        long[] lat = new long[(int) Math.min(expected, 20_000_000)];
        AtomicInteger latCount = new AtomicInteger();
        for (int i = 0; i < channelSize; i++) {
            InputStream in = inByIndex[i];
            OutputStream o = outByIndex[i];
            if (in == null) {
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    for (String l; (l = readLine(in)) != null; ) {
                        if (l.startsWith("PING")) { o.write(("PONG " + l.substring(5) + "\r\n").getBytes()); continue; }
                        int at = l.indexOf(" :T");
                        if (at < 0 || !l.contains(" PRIVMSG ")) continue;
                        int end = l.indexOf(' ', at + 3);
                        long sent = Long.parseLong(l.substring(at + 3, end < 0 ? l.length() : end));
                        int k = latCount.getAndIncrement();
                        if (k < lat.length) lat[k] = System.nanoTime() - sent;
                        delivered.increment();
                    }
                } catch (IOException e) {
                    // timed out or closed at the end
                }
            });
        }
        long cpu1 = cpuMillis(pid);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (int m = 0; m < messages; m++) {
            long due = start + m * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            OutputStream o = outByIndex[m % senders];
            if (o == null) continue;
            o.write(("PRIVMSG #bench0 :T" + System.nanoTime() + " load\r\n").getBytes(StandardCharsets.UTF_8));
        }
        long sendEnd = System.nanoTime();
        while (delivered.sum() < expected && System.nanoTime() - sendEnd < 30_000_000_000L) Thread.sleep(20);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuMessages = cpuMillis(pid) - cpu1;
        int count = Math.min(latCount.get(), lat.length);
        long[] l = Arrays.copyOf(lat, count);
        Arrays.sort(l);
        double p50 = count == 0 ? -1 : l[count / 2] / 1e6, p99 = count == 0 ? -1 : l[(int) (count * 0.99)] / 1e6;
        long got = delivered.sum();
        // Per client means per client the server holds: one that never registered costs it nothing.
        int joinedCount = Math.max(1, n - failed.get());
        System.out.printf(Locale.ROOT, "clients=%d joined=%d channel=%d failed=%d register_s=%.2f delivered=%d expected=%d deliveries_per_s=%.0f"
                        + " p50_ms=%.1f p99_ms=%.1f rss_idle_kib=%d rss_base_kib=%d kib_per_client=%.1f"
                        + " cpu_register_ms_per_client=%.2f cpu_us_per_delivery=%.2f%n",
                n, n - failed.get(), channelSize, failed.get(), registerSeconds, got, expected, got / seconds, p50, p99,
                rssIdle, rssBefore, (rssIdle - rssBefore) / (double) joinedCount,
                cpuRegister / (double) joinedCount, got == 0 ? -1 : cpuMessages * 1000.0 / got);
        for (Socket s : byIndex) if (s != null) s.close();
        System.exit(0);
    }

    /** Sends the WebSocket upgrade for /irc and reads the 101 answer; returns the stream after it. */
    static InputStream upgrade(InputStream in, OutputStream out, String host) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET /irc HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: text.ircv3.net\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String status = readLine(in);
        if (status == null || !status.contains(" 101 ")) throw new IOException("upgrade refused: " + status);
        for (String l; (l = readLine(in)) != null && !l.isEmpty(); ) { }
        return in;
    }

    /** Each line written (up to CR LF) goes out as one masked text frame; one writer at a time. */
    static final class WsOut extends OutputStream {
        private final OutputStream out;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        WsOut(OutputStream out) { this.out = out; }
        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
        @Override public void write(byte[] b, int off, int len) throws IOException {
            lock.lock();
            try {
                int start = off;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        int end = i > start && b[i - 1] == '\r' ? i - 1 : i;
                        frame(b, start, end - start);
                        start = i + 1;
                    }
                }
                out.flush();
            } finally {
                lock.unlock();
            }
        }
        private void frame(byte[] b, int off, int len) throws IOException {
            var f = new ByteArrayOutputStream(len + 8);
            f.write(0x81);
            if (len < 126) { f.write(0x80 | len); } else { f.write(0x80 | 126); f.write(len >> 8); f.write(len); }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask, 0, 4);
            for (int i = 0; i < len; i++) f.write(b[off + i] ^ mask[i & 3]);
            out.write(f.toByteArray());
        }
    }

    /** The payloads of the server's data frames, each followed by CR LF, so readLine works unchanged. */
    static final class WsIn extends InputStream {
        private final DataInputStream in;
        private byte[] frame = new byte[0];
        private int pos;
        WsIn(InputStream in) { this.in = new DataInputStream(in); }
        @Override public int read() throws IOException {
            while (pos >= frame.length) {
                int b0 = in.read();
                if (b0 < 0) return -1;
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) len = in.readUnsignedShort(); else if (len == 127) len = in.readLong();
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int op = b0 & 0x0f;
                if (op == 0x8) return -1;
                if (op != 0x1 && op != 0x2) continue; // pings are answered by IRC PING/PONG; Jetty sends none here
                frame = Arrays.copyOf(payload, payload.length + 2);
                frame[payload.length] = '\r';
                frame[payload.length + 1] = '\n';
                pos = 0;
            }
            return frame[pos++] & 0xff;
        }
    }

    /** One line without its CR LF (ASCII/UTF-8 bytes as Latin-1 chars: the tests only look for ASCII), or null at the end. */
    static String readLine(InputStream in) throws IOException {
        var b = new StringBuilder(128);
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
                return b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    static long rss(long pid) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** The process's user + system CPU time in milliseconds (clock ticks of 10 ms on Linux). */
    static long cpuMillis(long pid) throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
