package dev.protokit.chat.server;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatException;
import dev.protokit.chat.core.Names;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.auth.KeyFileException;
import dev.protokit.common.auth.KeyFileWriter;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import dev.protokit.common.daemon.AccountTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chat-server account add|remove|list|passwd}: accounts in the server's store. {@code add}
 * writes the account's native key file (mode 0600, common's key file format, key id = account
 * name) under {@code STATE/keys/} and prints its path; the IRC SASL password, if given, is kept
 * only as a SCRAM-SHA-256 verifier. Passwords come from a no-echo prompt or
 * {@code --password-stdin}, never the command line. Exit 0 done, 1 failed (one line), 2 usage.
 */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Add, remove, list accounts or set an account's IRC (SASL) password.")
public final class AccountCommand extends AccountTool {
    /** Reads {@code --password-stdin} from {@link System#in}. */
    public AccountCommand() {}

    /** Reads {@code --password-stdin} from {@code stdin} (tests). */
    public AccountCommand(InputStream stdin) {
        super(stdin);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account; prints the path of its native key file.")
    int add(@Parameters(paramLabel = "NAME", description = "Account name (also its protected nick): a letter, then up to 29 of A-Z a-z 0-9 _ -") String name,
            @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "The server's state directory.") Path stateDir,
            @Option(names = "--email", paramLabel = "ADDR", description = "Address for offline notifications.") String email,
            @Option(names = "--operator", description = "May use OPER/KILL on IRC and the native operator commands.") boolean operator,
            @Option(names = "--password-stdin", description = "Read the IRC SASL password as one line from standard input.") boolean passwordStdin,
            @Option(names = "--no-password", description = "No IRC password (native key only); set one later with passwd.") boolean noPassword) {
        return guarded(() -> {
            Names.requireAccount(name);
            Optional<ScramVerifier> scram = noPassword ? Optional.empty() : Optional.of(verifier(passwordStdin));
            Path keys = keyDirectory(stateDir);
            Path keyFile = keys.resolve(name + ".key");
            SharedKey key = KeyFileWriter.generate(new KeyId(name), new SecureRandom());
            try (SqliteChatStore store = open(stateDir)) {
                store.addAccount(Account.create(name, Optional.ofNullable(email), operator, Instant.now()), key, scram);
                KeyFileWriter.write(keyFile, key, KeyFileWriter.Mode.OVERWRITE);
            } finally {
                key.destroy();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(keyFile.toAbsolutePath());
            out.flush();
        });
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account, its key file and its offline queue.")
    int remove(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--state-dir", required = true, paramLabel = "DIR") Path stateDir) {
        return guarded(() -> {
            try (SqliteChatStore store = open(stateDir)) {
                if (!store.removeAccount(name)) {
                    throw new IllegalArgumentException("no account " + Names.printable(name));
                }
            }
            Files.deleteIfExists(stateDir.resolve("keys").resolve(name + ".key"));
            spec.commandLine().getOut().println("removed account " + name);
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts (never their secrets).")
    int list(@Option(names = "--state-dir", required = true, paramLabel = "DIR") Path stateDir) {
        return guarded(() -> {
            PrintWriter out = spec.commandLine().getOut();
            try (SqliteChatStore store = open(stateDir)) {
                List<Account> all = store.accounts();
                for (Account a : all) {
                    out.printf("%-30s %-8s %-9s %-30s %s%n", a.name(), a.operator() ? "operator" : "user",
                            store.scram(a.name()).isPresent() ? "password" : "key-only", a.email().orElse("-"),
                            a.lastSeen().map(Instant::toString).orElse("never seen"));
                }
            }
            out.flush();
        });
    }

    @Command(name = "email", mixinStandardHelpOptions = true,
            description = "Set (ADDR) or remove (--clear) the address offline notifications go to.")
    int email(@Parameters(paramLabel = "NAME") String name,
              @Parameters(paramLabel = "ADDR", arity = "0..1") String address,
              @Option(names = "--clear", description = "Remove the address: no more notification mails.") boolean clear,
              @Option(names = "--state-dir", required = true, paramLabel = "DIR") Path stateDir) {
        if (clear == (address != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either ADDR or --clear");
        }
        return guarded(() -> {
            try (SqliteChatStore store = open(stateDir)) {
                Account account = store.account(name).orElseThrow(() ->
                        new IllegalArgumentException("no account " + Names.printable(name)));
                // The account's own checks refuse a malformed address before it is stored.
                store.setEmail(name, new Account(account.name(), Optional.ofNullable(address), account.operator(),
                        account.created(), account.lastSeen()).email());
            }
            spec.commandLine().getOut().println(clear ? "notifications off for " + name : "notifications for " + name + " go to " + address);
        });
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set an account's IRC (SASL) password.")
    int passwd(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--state-dir", required = true, paramLabel = "DIR") Path stateDir,
               @Option(names = "--password-stdin", description = "Read the password as one line from standard input.") boolean passwordStdin) {
        return guarded(() -> {
            ScramVerifier v = verifier(passwordStdin);
            try (SqliteChatStore store = open(stateDir)) {
                store.setScram(name, v);
            }
            spec.commandLine().getOut().println("password set for " + name);
        });
    }

    private ScramVerifier verifier(boolean fromStdin) throws IOException {
        return newPassword(fromStdin, password -> ScramVerifier.derive(password, new SecureRandom()));
    }

    private static SqliteChatStore open(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return SqliteChatStore.open(stateDir.resolve("chat.db"), List.of());
    }

    private static Path keyDirectory(Path stateDir) throws IOException {
        Path keys = stateDir.resolve("keys");
        if (!Files.isDirectory(keys)) {
            Files.createDirectories(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return keys;
    }

    @Override
    protected Optional<String> reason(RuntimeException e) {
        return switch (e) {
            case ChatException c -> Optional.of(c.reason());
            case KeyFileException k -> Optional.of(k.getMessage());
            default -> Optional.empty();
        };
    }
}
