package dev.protokit.common.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags every daemon takes: {@code --bind --port --config --state-dir --log-level}.
 * Mix into a daemon's command with {@code @Mixin DaemonOptions daemon;}.
 * {@code --config} itself is read by {@link DaemonLauncher} before parsing; it is declared here
 * so that it shows in {@code --help} and is accepted on the command line.
 */
public final class DaemonOptions {

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on (default: all interfaces, IPv6 and IPv4).")
    private InetAddress bind;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private Integer port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of defaults for these flags: one 'name = value' per line, "
                    + "names as the long flags without dashes (port = 6969).")
    private Path config;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Directory for generated state (certificates, keys). Default: $STATE_DIRECTORY, "
                    + "else ~/.local/state/protokit/NAME.")
    private Path stateDir;

    @Option(names = "--port", paramLabel = "N",
            description = "Port to listen on; 0 picks a free port, printed in the 'listening' line.")
    private void setPort(int value) {
        if (value < 0 || value > 65535) {
            throw new ParameterException(mixee.commandLine(), "--port must be 0..65535, got " + value);
        }
        port = value;
    }

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "INFO",
            description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
    private void logLevel(String level) {
        try {
            Logging.setLevel(level);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--log-level: " + e.getMessage());
        }
    }

    /** The address to listen on: {@code --bind}, else the wildcard address. */
    public InetAddress bindAddress() {
        return bind != null ? bind : new InetSocketAddress(0).getAddress();
    }

    /** {@code --port}, or {@code defaultPort} when not given. */
    public int port(int defaultPort) {
        return port != null ? port : defaultPort;
    }

    /** The socket address to listen on, from {@code --bind} and {@code --port}. */
    public InetSocketAddress listenAddress(int defaultPort) {
        return new InetSocketAddress(bindAddress(), port(defaultPort));
    }

    /** The configuration file given with {@code --config}, if any. */
    public Optional<Path> configFile() {
        return Optional.ofNullable(config);
    }

    /**
     * The state directory for daemon {@code name}, created with mode 0700 if missing:
     * {@code --state-dir}, else systemd's {@code $STATE_DIRECTORY}, else
     * {@code ~/.local/state/protokit/NAME}.
     */
    public Path stateDir(String name) {
        Path dir = stateDir;
        if (dir == null) {
            String systemd = System.getenv("STATE_DIRECTORY");
            dir = systemd != null && !systemd.isBlank()
                    ? Path.of(systemd.split(":")[0])
                    : Path.of(System.getProperty("user.home"), ".local", "state", "protokit", name);
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system; nothing more to tighten
                }
            }
            return dir.toRealPath();
        } catch (IOException e) {
            throw new StartupException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
