package dev.protokit.common.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --root DIR}: the directory a file server serves and never leaves. */
public final class RootOption {

    @Option(names = "--root", paramLabel = "DIR", description = "Directory to serve; nothing outside it is reachable.")
    private Path root;

    /**
     * The served directory as a real path (symlinks resolved), so confinement checks compare
     * like with like. Fails at start-up when missing or not a directory.
     */
    public Path root() {
        if (root == null) {
            throw new StartupException("--root DIR is required (the directory to serve)");
        }
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new StartupException("--root " + root + " is not a directory");
            }
            return real;
        } catch (IOException e) {
            throw new StartupException("--root " + root + " does not exist or cannot be read", e);
        }
    }
}
