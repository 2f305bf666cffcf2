package dev.protokit.ftp.server;

import dev.protokit.common.daemon.AotTrainingRun;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.Lifecycle;
import dev.protokit.ftp.client.FtpCliMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The training run behind the launcher's ahead-of-time cache (JDK 25, JEP 483/514/515): the real
 * {@code ftp-lite-server} command line starts on a free loopback port with a throwaway root, a
 * few hundred anonymous sessions log in at once (the path the login benchmark measures), and the
 * {@code ftp-lite} client lists, uploads and downloads over plain FTP and explicit FTPS. The JVM
 * running this under {@code -XX:AOTCacheOutput} then stores the classes these paths loaded and
 * linked, and their method profiles, so a later start of either binary begins where this run
 * ended instead of in the interpreter. {@code bin/_launch} runs it in the background, once per jar.
 *
 * <p>Exits 0 when every step worked, 1 otherwise (the launcher then keeps no cache).
 */
public final class AotTraining {
    private static final int SESSIONS = 200;
    private static final int ROUNDS = 3;

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        AotTrainingRun.exit("ftp-lite-aot-training-", AotTraining::train);
    }

    private static boolean train(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path anon = Files.createDirectories(dir.resolve("anon"));
        byte[] data = new byte[256 * 1024];
        new java.util.Random(1).nextBytes(data);
        Files.write(anon.resolve("file.bin"), data);
        Files.write(dir.resolve("local.bin"), data);
        int port = AotTrainingRun.freePorts(1)[0];
        String[] serverArgs = {"--bind", "127.0.0.1", "--port", Integer.toString(port), "--root", root.toString(),
            "--anonymous", "--anonymous-root", anon.toString(), "--anonymous-write",
            "--state-dir", dir.resolve("state").toString(), "--max-connections", "1000", "--max-per-address", "1000"};
        Thread server = Thread.ofPlatform().name("training-server").start(
                () -> DaemonLauncher.run(new FtpServerCommand(), serverArgs));
        if (!AotTrainingRun.awaitListening(port, server)) {
            return false;
        }
        boolean ok = true;
        for (int round = 0; round < ROUNDS; round++) {
            ok &= logins(port);
        }
        String url = "ftp://127.0.0.1:" + port + "/";
        for (String[] tls : new String[][] {{}, {"--tls", "--insecure"}}) {
            ok &= client(tls, "ls", "-l", url);
            ok &= client(tls, "put", dir.resolve("local.bin").toString(), url + "up.bin");
            ok &= client(tls, "get", url + "file.bin", dir.resolve("got.bin").toString());
            ok &= client(tls, "rm", url + "up.bin");
        }
        Lifecycle.requestStop();
        server.join(TimeUnit.SECONDS.toMillis(30));
        return ok;
    }

    /** {@value #SESSIONS} anonymous sessions at once: greeting, USER, PASS, SYST, PWD, TYPE, QUIT. */
    private static boolean logins(int port) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                done.add(clients.submit(() -> session(port)));
            }
            boolean ok = true;
            for (Future<Boolean> f : done) {
                ok &= f.get(2, TimeUnit.MINUTES);
            }
            return ok;
        }
    }

    private static boolean session(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            boolean ok = reply(in).startsWith("220");
            for (String[] step : new String[][] {{"USER anonymous", "331"}, {"PASS training@", "230"},
                {"SYST", "215"}, {"PWD", "257"}, {"TYPE I", "200"}, {"QUIT", "221"}}) {
                out.write((step[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ok &= reply(in).startsWith(step[1]);
            }
            return ok;
        }
    }

    /** The last line of one (possibly multi-line) reply. */
    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line == null ? "" : line;
    }

    private static boolean client(String[] tls, String... command) {
        List<String> args = new ArrayList<>(List.of(command[0], "-q"));
        args.addAll(List.of(tls));
        args.addAll(List.of(command).subList(1, command.length));
        var sink = new PrintWriter(new StringWriter());
        return FtpCliMain.run(args.toArray(String[]::new), InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                sink, sink) == 0;
    }
}
