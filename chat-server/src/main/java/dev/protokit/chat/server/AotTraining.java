package dev.protokit.chat.server;

import dev.protokit.chat.client.ChatMain;
import dev.protokit.common.daemon.AotTrainingRun;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.common.tls.ClientTrust;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The training run behind the launcher's ahead-of-time cache (JDK 25, JEP 483/514/515), as
 * ftp-lite's: the real {@code chat-server} command line starts on free loopback ports with a
 * throwaway state directory; a few hundred IRC clients register at once and join one room (the
 * registration storm {@code bench/chat.sh} measures: welcome, NAMES of a growing room, the JOIN
 * fan-out), some of them negotiate capabilities and log in with SASL PLAIN, one goes over TLS;
 * members talk in the room, ask NAMES, WHO and WHOIS, part and quit; the native client
 * {@code chat send} posts through the native listener. The JVM running this under
 * {@code -XX:AOTCacheOutput} stores the classes these paths loaded and linked and their method
 * profiles, so a later start of {@code chat-server} or {@code chat} begins where this run ended.
 *
 * <p>Exits 0 when every step worked, 1 otherwise (the launcher then keeps no cache).
 */
public final class AotTraining {
    private static final int CLIENTS = 300;
    private static final int SPEAKERS = 10;
    private static final int LINES = 100;
    private static final int ROUNDS = 2;
    private static final String ACCOUNT = "trainer";
    private static final String PASSWORD = "training-password";

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        AotTrainingRun.exit("chat-server-aot-training-", AotTraining::train);
    }

    private static boolean train(Path dir) throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        var keyPath = new StringWriter();
        int added = new CommandLine(new AccountCommand(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8))))
                .setOut(new PrintWriter(keyPath)).setErr(new PrintWriter(new StringWriter()))
                .execute("add", ACCOUNT, "--state-dir", state.toString(), "--password-stdin");
        if (added != 0) {
            return false;
        }
        int[] ports = AotTrainingRun.freePorts(3);
        String[] serverArgs = {"--bind", "127.0.0.1", "--port", Integer.toString(ports[0]),
            "--irc-port", Integer.toString(ports[1]), "--irc-tls-port", Integer.toString(ports[2]),
            "--state-dir", state.toString(), "--max-connections", "2000", "--max-per-address", "2000",
            "--flood-burst", "10000", "--flood-rate", "100000", "--max-sendq", "1048576"};
        Thread server = Thread.ofPlatform().name("training-server").start(
                () -> DaemonLauncher.run(new ChatServerCommand(), serverArgs));
        if (!AotTrainingRun.awaitListening(ports[1], server) || !AotTrainingRun.awaitListening(ports[0], server)) {
            return false;
        }
        boolean ok = true;
        for (int round = 0; round < ROUNDS; round++) {
            ok &= storm(ports[1], round);
        }
        ok &= tls(ports[2]);
        String key = keyPath.toString().strip();
        var said = new StringWriter();
        var sink = new PrintWriter(said, true);
        ok &= step(ChatMain.run(new String[] {"--server", "127.0.0.1:" + ports[0], "--key", key, "send", "--room", "training",
            "hello from the native client"}, sink, sink) == 0, "chat send " + said);
        Lifecycle.requestStop();
        server.join(TimeUnit.SECONDS.toMillis(30));
        return ok;
    }

    /**
     * {@value #CLIENTS} clients at once register and join {@code #training} (a few negotiate
     * capabilities, one logs in); once all are in, {@value #SPEAKERS} of them send
     * {@value #LINES} lines each and ask queries while every member reads the room (the fan-out
     * path of the benchmark's message phase), then all quit.
     */
    private static boolean storm(int port, int round) throws Exception {
        var phases = new Phases(new CountDownLatch(CLIENTS), new CountDownLatch(1), new CountDownLatch(SPEAKERS));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                done.add(clients.submit(() -> member(port, "t" + round + "x" + id, id, phases)));
            }
            phases.joined.await(2, TimeUnit.MINUTES);
            phases.speak.countDown();
            boolean ok = true;
            for (Future<Boolean> f : done) {
                ok &= f.get(2, TimeUnit.MINUTES);
            }
            return ok;
        }
    }

    /** All joined; the speakers may start; the speakers' lines are all in the room. */
    private record Phases(CountDownLatch joined, CountDownLatch speak, CountDownLatch spoken) {}

    private static boolean member(int port, String nick, int id, Phases phases) throws Exception {
        boolean speaker = id < SPEAKERS;
        boolean joined = false;
        boolean spoke = false;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            var irc = new Line(s);
            boolean ok = register(irc, nick, id % 50 == 1 ? List.of("server-time", "message-tags", "multi-prefix", "sasl")
                    : id % 50 == 2 ? List.of("server-time", "echo-message", "away-notify", "account-tag") : List.of(),
                    id == 1);
            irc.send("JOIN #training");
            ok &= step(irc.await(" 366 "), " 366 ");
            phases.joined.countDown();
            joined = true;
            phases.speak.await(2, TimeUnit.MINUTES);
            if (speaker) {
                for (int i = 0; i < LINES; i++) {
                    irc.send("PRIVMSG #training :line " + i + " from " + nick);
                }
                irc.send("NAMES #training");
                irc.send("WHO #training");
                irc.send("WHOIS t0x0");
                irc.send("TOPIC #training");
                irc.send("LIST");
                irc.send("PING :spoken");
                ok &= step(irc.await("PONG"), "PONG");
                phases.spoken.countDown();
                spoke = true;
                irc.send("PART #training :bye");
            }
            phases.spoken.await(2, TimeUnit.MINUTES);
            // the PONG comes after every room line logged before the PING: all of them are read by then
            irc.send("PING :done");
            ok &= step(irc.await("PONG"), "PONG");
            irc.send("QUIT :training done");
            ok &= step(irc.await("ERROR"), "ERROR");
            return ok;
        } finally {
            if (!joined) {
                phases.joined.countDown(); // a client that failed early must not hold the others back
            }
            if (speaker && !spoke) {
                phases.spoken.countDown();
            }
        }
    }

    /** CAP negotiation (when {@code caps} is not empty), SASL PLAIN when asked, NICK/USER, up to the end of MOTD. */
    private static boolean register(Line irc, String nick, List<String> caps, boolean sasl) throws IOException {
        boolean ok = true;
        if (!caps.isEmpty()) {
            irc.send("CAP LS 302");
            ok &= step(irc.await(" LS "), " LS ");
            irc.send("CAP REQ :" + String.join(" ", sasl ? caps : caps.stream().filter(c -> !c.equals("sasl")).toList()));
            ok &= step(irc.await(" ACK "), " ACK ");
        }
        irc.send("NICK " + nick);
        irc.send("USER " + nick + " 0 * :AOT training");
        if (sasl) {
            irc.send("AUTHENTICATE PLAIN");
            ok &= step(irc.await("AUTHENTICATE +"), "AUTHENTICATE +");
            irc.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(
                    ("\0" + ACCOUNT + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            ok &= step(irc.await(" 903 "), " 903 ");
        }
        if (!caps.isEmpty()) {
            irc.send("CAP END");
        }
        ok &= step(irc.await(" 001 "), " 001 ");
        ok &= step(irc.await(" 376 ", " 422 "), " 376 ");
        return ok;
    }

    /** One client over IRC over TLS (the server's self-signed certificate, trusted blindly here). */
    private static boolean tls(int port) throws Exception {
        var context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {ClientTrust.acceptAny()}, null);
        try (Socket s = context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            var irc = new Line(s);
            boolean ok = register(irc, "tlstrainer", List.of(), false);
            irc.send("JOIN #training");
            ok &= step(irc.await(" 366 "), " 366 ");
            irc.send("PRIVMSG #training :over TLS");
            irc.send("QUIT");
            ok &= step(irc.await("ERROR"), "ERROR");
            return ok;
        }
    }

    /** CR LF lines over a socket; PINGs from the server are answered while waiting. */
    private static final class Line {
        private final BufferedReader in;
        private final OutputStream out;

        Line(Socket s) throws IOException {
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads until a line containing one of {@code marks}; false at the end of the stream. */
        boolean await(String... marks) throws IOException {
            for (String l; (l = in.readLine()) != null; ) {
                if (l.startsWith("PING ")) {
                    send("PONG " + l.substring(5));
                    continue;
                }
                for (String m : marks) {
                    if (l.contains(m)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code ok}; when false, says which step failed on standard error (the launcher discards it; a person may run this). */
    private static boolean step(boolean ok, String what) {
        if (!ok) {
            System.err.println("AOT training: no '" + what.strip() + "'");
        }
        return ok;
    }
}
