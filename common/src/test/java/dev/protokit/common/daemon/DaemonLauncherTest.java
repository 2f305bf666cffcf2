package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class DaemonLauncherTest {
    @TempDir
    Path dir;

    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo implements Callable<Integer> {
        @Mixin DaemonOptions daemon;
        @Mixin LimitOptions limits;
        @Mixin RootOption root;
        String fail;
        int port;
        Duration idle;

        @Override
        public Integer call() {
            port = daemon.port(6969);
            idle = limits.idleTimeout();
            if (fail != null) {
                throw new StartupException(fail);
            }
            return 0;
        }
    }

    @Test
    void appliesDefaultsFromAConfigFileAndLetsFlagsWin() throws IOException {
        Path config = Files.writeString(dir.resolve("demo.conf"), "port = 7070\nidle-timeout = 45s\n");
        var demo = new Demo();
        assertEquals(0, DaemonLauncher.run(demo, new String[] {"--config", config.toString()}));
        assertEquals(7070, demo.port);
        assertEquals(Duration.ofSeconds(45), demo.idle);

        var flagged = new Demo();
        assertEquals(0, DaemonLauncher.run(flagged, new String[] {"--config=" + config, "--port", "8080"}));
        assertEquals(8080, flagged.port);
    }

    @Test
    void refusesUnknownConfigKeysAsAUsageError() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.conf"), "prot = 7070\n");
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new Demo(), new String[] {"--config", config.toString()}));
    }

    @Test
    void mapsUsageAndStartupFailuresToExitCodes() {
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new Demo(), new String[] {"--no-such-flag"}));
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new Demo(), new String[] {"--idle-timeout", "soon"}));
        var failing = new Demo();
        failing.fail = "port 69 needs root";
        assertEquals(DaemonLauncher.FAILURE, DaemonLauncher.run(failing, new String[0]));
        assertEquals(DaemonLauncher.OK, DaemonLauncher.run(new Demo(), new String[] {"--help"}));
    }

    @Test
    void outOfRangeValuesAreUsageErrors() {
        for (String[] args : new String[][] {
                {"--port", "70000"}, {"--port", "-1"}, {"--max-connections", "0"},
                {"--max-per-address", "-3"}, {"--log-level", "LOUD"},
                {"--idle-timeout", "25d"}, {"--handshake-timeout", "PT600H"}, {"--shutdown-grace", "99999999999999d"},
                {"--idle-timeout", "0"}, {"--handshake-timeout", "0s"}}) {
            assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new Demo(), args), String.join(" ", args));
        }
    }

    @Test
    void aZeroShutdownGraceMeansCloseAtOnce() {
        assertEquals(DaemonLauncher.OK, DaemonLauncher.run(new Demo(), new String[] {"--shutdown-grace", "0s"}));
    }

    @Test
    void aMissingConfigFileIsAUsageError() {
        assertEquals(DaemonLauncher.USAGE, DaemonLauncher.run(new Demo(), new String[] {"--config", dir.resolve("nope").toString()}));
    }

    @Test
    void doesNotRepeatTheProgramName() {
        assertEquals("demo: port in use", DaemonLauncher.oneLine("demo", "port in use"));
        assertEquals("demo: tcp 127.0.0.1:1 is already in use", DaemonLauncher.oneLine("demo", "demo: tcp 127.0.0.1:1 is already in use"));
    }

    @Test
    void createsTheStateDirectoryPrivately() throws IOException {
        var demo = new Demo();
        DaemonLauncher.run(demo, new String[] {"--state-dir", dir.resolve("state").toString()});
        Path state = demo.daemon.stateDir("demo");
        assertTrue(Files.isDirectory(state));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }
}
