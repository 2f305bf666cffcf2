package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.DaemonLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: flags become the configuration, mistakes are usage errors, the user subcommand is there. */
class FtpServerCommandTest {
    @TempDir
    Path tmp;

    @Test
    void flagsBecomeTheConfiguration() throws Exception {
        var command = new FtpServerCommand();
        new CommandLine(command).parseArgs("--root", tmp.toString(), "--anonymous", "--anonymous-write",
                "--bind", "127.0.0.1", "--port", "0", "--state-dir", tmp.resolve("state").toString(),
                "--passive-ports", "30000-30010", "--passive-address", "192.0.2.10", "--implicit-port", "0",
                "--max-upload-size", "2M", "--max-rate", "512K", "--data-timeout", "5s", "--require-tls");
        FtpServerConfig config = command.config();
        assertEquals(new FtpServerConfig.PortRange(30000, 30010), config.passivePorts());
        assertEquals("192.0.2.10", config.passiveAddress().orElseThrow().getHostAddress());
        assertEquals(2L << 20, config.maxUploadSize().getAsLong());
        assertEquals(512L << 10, config.defaultRate().getAsLong());
        assertEquals(Duration.ofSeconds(5), config.dataTimeout());
        assertTrue(config.anonymous() && config.anonymousWrite() && config.requireTls());
        assertEquals(0, config.implicitPort().getAsInt());
        // The self-signed certificate is generated once, its key readable by the owner only.
        Path key = tmp.resolve("state/ftp-key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String first = Files.readString(tmp.resolve("state/ftp-cert.pem"));
        var again = new FtpServerCommand();
        new CommandLine(again).parseArgs("--root", tmp.toString(), "--anonymous", "--state-dir", tmp.resolve("state").toString());
        again.config();
        assertEquals(first, Files.readString(tmp.resolve("state/ftp-cert.pem")));
    }

    @Test
    void refusesToStartWithNothingToServe() {
        // nothing to serve is a usage error: the flags do not make a server (exit 2)
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new FtpServerCommand(),
                new String[] {"--root", tmp.toString(), "--state-dir", tmp.resolve("s").toString()}));
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new FtpServerCommand(),
                new String[] {"--root", tmp.toString(), "--anonymous", "--max-upload-size", "lots"}));
    }

    /** Issue #9: these printed stack traces (the implicit port after "listening"); now one line and exit 2. */
    @Test
    void badPortsAndMissingUsersFilesAreUsageErrors() {
        var err = new java.io.ByteArrayOutputStream();
        var previous = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new FtpServerCommand(),
                    new String[] {"--root", tmp.toString(), "--users", tmp.resolve("nonexistent").toString()}));
            assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new FtpServerCommand(),
                    new String[] {"--root", tmp.toString(), "--anonymous", "--port", "0", "--implicit-port", "99999"}));
        } finally {
            System.setErr(previous);
        }
        String text = err.toString();
        assertTrue(text.contains("no such readable file") && text.contains("not a TCP port"), text);
        assertTrue(!text.contains("\tat ") && !text.contains("listening"), text);
    }

    /** Issue #9: the refusal is a configuration error, one line naming the user and the fix, exit 2. */
    @Test
    void refusesUserHomesInsideTheAnonymousHomeWithOneLineAndExit2() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("srv"));
        Files.createDirectories(root.resolve("pub"));
        Files.createDirectories(root.resolve("alice"));
        Path users = tmp.resolve("ftp.users");
        String hash = dev.protokit.ftp.server.users.Argon2id.hash("pw".toCharArray()).format();
        Files.writeString(users, "alice:" + hash + ":alice:rw\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
        var err = new java.io.ByteArrayOutputStream();
        var previous = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        int status;
        try {
            status = DaemonLauncher.run(new FtpServerCommand(), new String[] {"--root", root.toString(), "--anonymous",
                    "--users", users.toString(), "--port", "0", "--state-dir", tmp.resolve("state").toString()});
        } finally {
            System.setErr(previous);
        }
        assertEquals(DaemonLauncher.USAGE, status);
        String first = err.toString().lines().findFirst().orElse("");
        assertTrue(first.startsWith("ftp-lite-server: user alice's home " + root.resolve("alice").toRealPath()
                + " is inside the anonymous home " + root.toRealPath()) && first.contains("--anonymous-root"), err.toString());
        assertTrue(!err.toString().contains("\tat ") && !err.toString().contains("listening"), err.toString());
        var separate = new FtpServerCommand();
        new CommandLine(separate).parseArgs("--root", root.toString(), "--anonymous", "--anonymous-root",
                root.resolve("pub").toString(), "--users", users.toString(), "--state-dir", tmp.resolve("state").toString());
        assertEquals(root.resolve("pub").toRealPath(), separate.config().anonymousRoot());
    }

    @Test
    void registersTheUserSubcommand() {
        assertTrue(new CommandLine(new FtpServerCommand()).getSubcommands().containsKey("user"));
        assertEquals(DaemonLauncher.OK, DaemonLauncher.run(new FtpServerCommand(), new String[] {"--help"}));
    }
}
