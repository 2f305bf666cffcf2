package dev.protokit.ftp.server.users;

import dev.protokit.common.daemon.AccountTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ftp-lite-server user add|remove|list --users FILE}: edits the users file a server reads.
 * Passwords are prompted for twice without echo, or read as one line from standard input with
 * {@code --password-stdin}; they never appear on the command line. {@code list} never prints hashes.
 * Exit status: 0 done, 1 failed (message on one line), 2 usage.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Add, remove or list FTP users in a users file (name:argon2id-hash:home:rw|ro[:bytes-per-second]).")
public final class UserCommand extends AccountTool {
    /** Reads {@code --password-stdin} from {@link System#in}. */
    public UserCommand() {}

    /** Reads {@code --password-stdin} from {@code stdin} (for tests). */
    public UserCommand(InputStream stdin) {
        super(stdin);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user (or replace one with --replace).")
    int add(@Parameters(paramLabel = "NAME", description = "Login name: 1-64 of A-Z a-z 0-9 . _ -") String name,
            @Option(names = "--users", required = true, paramLabel = "FILE", description = "The users file (created 0600 if absent).") Path file,
            @Option(names = "--home", paramLabel = "DIR", description = "Home directory; relative means under the server root (default: NAME).") Path home,
            @Option(names = "--write", description = "Allow uploads, deletes, renames and mkdir (default: read-only).") boolean write,
            @Option(names = "--max-rate", paramLabel = "BYTES", description = "Limit transfers to BYTES per second.") Long rate,
            @Option(names = "--password-stdin", description = "Read the password as one line from standard input.") boolean passwordStdin,
            @Option(names = "--replace", description = "Replace the user if it exists (e.g. to change the password).") boolean replace) {
        return guarded(() -> {
            FtpUser user = new FtpUser(name, home == null ? Path.of(name) : home, write,
                    rate == null ? OptionalLong.empty() : OptionalLong.of(rate));
            UsersFile current = Files.exists(file) ? UsersFile.load(file) : UsersFile.empty();
            if (current.find(name).isPresent() && !replace) {
                throw new IllegalArgumentException("user " + name + " already exists in " + file + "; use --replace to change it");
            }
            PhcHash hash = newPassword(passwordStdin, Argon2id::hash);
            UserEntry entry = new UserEntry(user, hash);
            UsersFile.formatEntry(entry); // refuses an unwritable home before touching the file
            current.with(entry).write(file);
            spec.commandLine().getOut().println((replace ? "saved" : "added") + " user " + name);
        });
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
    int remove(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--users", required = true, paramLabel = "FILE") Path file) {
        return guarded(() -> {
            UsersFile current = UsersFile.load(file);
            if (current.find(name).isEmpty()) {
                throw new IllegalArgumentException("no user " + name + " in " + file);
            }
            current.without(name).write(file);
            spec.commandLine().getOut().println("removed user " + name);
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users (never their hashes).")
    int list(@Option(names = "--users", required = true, paramLabel = "FILE") Path file) {
        return guarded(() -> {
            PrintWriter out = spec.commandLine().getOut();
            for (UserEntry entry : UsersFile.load(file).entries()) {
                FtpUser u = entry.user();
                String rate = u.bytesPerSecond().isPresent() ? u.bytesPerSecond().getAsLong() + " B/s" : "unlimited";
                out.printf("%-20s %-2s %-12s %s%n", u.name(), u.canWrite() ? "rw" : "ro", rate, u.home());
            }
            out.flush();
        });
    }

    @Override
    protected Optional<String> reason(RuntimeException e) {
        return e instanceof UsersFileException ? Optional.of(e.getMessage()) : Optional.empty();
    }

    /** One line from {@code in} without its CR LF, in a char array the caller wipes; no String made. */
    static char[] readLine(InputStream in) throws IOException {
        return dev.protokit.common.daemon.PasswordInput.readLine(in);
    }
}
