package dev.protokit.ftp.client;

import dev.protokit.common.daemon.Terminal;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The login name and password for a target, from the first source that has them: the URL,
 * {@code --password-stdin}, the netrc file, a no-echo prompt on the terminal. With no user
 * named anywhere the login is anonymous (RFC 1635), as with ftp(1) and curl.
 */
record Credentials(String user, char[] password) {
    static final String ANONYMOUS = "anonymous";
    private static final int MAX_PASSWORD_CHARS = 1024;

    /** Wipes the password; call once logged in. */
    void wipe() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + "]";
    }

    static Credentials resolve(Target target, ConnectionOptions options, InputStream stdin) {
        if (target.urlPassword().isPresent()) {
            return new Credentials(target.user().orElse(ANONYMOUS), target.urlPassword().get().toCharArray());
        }
        if (options.passwordStdin) {
            return new Credentials(target.user().orElse(ANONYMOUS), readLine(stdin));
        }
        Optional<Path> netrcFile = options.netrc().or(Credentials::defaultNetrc);
        if (netrcFile.isPresent()) {
            var entry = Netrc.load(netrcFile.get()).find(target.host(), target.user());
            if (entry.isPresent() && entry.get().password().isPresent()) {
                String user = target.user().or(() -> entry.get().login()).orElse(ANONYMOUS);
                return new Credentials(user, entry.get().password().get().toCharArray());
            }
            if (entry.isPresent() && target.user().isEmpty() && entry.get().login().isPresent()) {
                return prompt(entry.get().login().get(), target);
            }
        }
        if (target.user().isEmpty() || target.user().get().equals(ANONYMOUS) || target.user().get().equals("ftp")) {
            return new Credentials(target.user().orElse(ANONYMOUS), "ftp-lite@".toCharArray());
        }
        return prompt(target.user().get(), target);
    }

    private static Optional<Path> defaultNetrc() {
        String home = System.getProperty("user.home");
        if (home == null || home.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(home, ".netrc");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static Credentials prompt(String user, Target target) {
        Console console = System.console();
        if (console == null || !Terminal.isInteractive()) {
            throw FtpCliException.usage("no password for " + user + "@" + target.host()
                    + ": use --password-stdin, a netrc entry, or run on a terminal");
        }
        char[] password = console.readPassword("Password for %s@%s: ", user, target.host());
        if (password == null) {
            throw FtpCliException.usage("no password entered");
        }
        return new Credentials(user, password);
    }

    /** One line of standard input without its line end, never turned into a String. */
    static char[] readLine(InputStream in) {
        char[] buffer = new char[MAX_PASSWORD_CHARS];
        int length = 0;
        try {
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (length == buffer.length) {
                    throw FtpCliException.usage("password on standard input is longer than " + MAX_PASSWORD_CHARS + " characters");
                }
                buffer[length++] = (char) c;
            }
        } catch (IOException e) {
            throw FtpCliException.local("cannot read the password from standard input: " + e.getMessage(), e);
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }
}
