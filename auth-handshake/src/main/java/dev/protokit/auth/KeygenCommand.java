package dev.protokit.auth;

import dev.protokit.common.daemon.VersionProvider;
import dev.protokit.common.auth.KeyFileException;
import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.DaemonLauncher;
import dev.protokit.common.daemon.StartupException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code auth-client keygen --id ID --out FILE [--append | --force]}: makes a 256-bit random key
 * and writes {@code ID base64} to FILE, created with mode 0600. An existing file is refused
 * unless {@code --append} (add the key, for rotation) or {@code --force} (replace the file).
 * The secret is never printed.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Make a random 256-bit key and write it to a key file (mode 0600).",
            "Copy the same file to the server (--keys) and the client (--key)."})
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--id", paramLabel = "ID", required = true,
            description = "Key id: 1-64 characters of A-Z a-z 0-9 . _ - (sent in the clear).")
    private String id;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Key file to write.")
    private Path out;

    @ArgGroup(exclusive = true)
    private Existing existing;

    static final class Existing {
        @Option(names = "--append", description = "If FILE exists, add the key to it (rotation).")
        boolean append;

        @Option(names = "--force", description = "If FILE exists, replace it (its keys are lost).")
        boolean force;
    }

    @Override
    public Integer call() {
        if (!KeyId.isValid(id)) {
            throw new StartupException("--id " + id + " is not a valid key id (1-64 characters of A-Z a-z 0-9 . _ -)");
        }
        KeyFileWriter.Mode mode = existing == null ? KeyFileWriter.Mode.CREATE_NEW
                : existing.append ? KeyFileWriter.Mode.APPEND
                : KeyFileWriter.Mode.OVERWRITE;
        SharedKey key = KeyFileWriter.generate(new KeyId(id), new SecureRandom());
        try {
            KeyFileWriter.write(out, key, mode);
        } catch (KeyFileException e) {
            throw new StartupException(e.getMessage(), e);
        } finally {
            key.destroy();
        }
        System.out.println("wrote key " + id + " to " + out + " (mode 0600)");
        return DaemonLauncher.OK;
    }
}
