package dev.protokit.chat.mail;

import dev.protokit.common.daemon.DurationConverter;
import dev.protokit.common.daemon.PrivateFile;
import dev.protokit.common.daemon.StartupException;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The mail flags of {@code chat-server}; mix in with {@code @Mixin MailOptions mail;}. Without
 * {@code --smtp-host} no mail is sent. Values are checked when parsed (usage errors, exit 2);
 * the password file when the server starts (it must be mode 0600 or stricter).
 */
public final class MailOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--smtp-host", paramLabel = "HOST", description = "SMTP server for offline notifications (default: no mail).")
    private String host;

    private int port = -1;

    @Option(names = "--smtp-port", paramLabel = "N", description = "SMTP port (default: 587 for starttls, 465 for implicit, 25 for none).")
    private void port(int value) {
        if (value < 1 || value > 65535) {
            throw new ParameterException(mixee.commandLine(), "--smtp-port must be 1..65535, got " + value);
        }
        port = value;
    }

    private MailSettings.SmtpSecurity security = MailSettings.SmtpSecurity.STARTTLS;

    @Option(names = "--smtp-tls", paramLabel = "starttls|implicit|none", description = "How the SMTP connection is protected (default: starttls, required).")
    private void security(String value) {
        try {
            security = MailSettings.SmtpSecurity.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--smtp-tls must be starttls, implicit or none, got " + value);
        }
    }

    @Option(names = "--smtp-user", paramLabel = "USER", description = "SMTP login (with --smtp-password-file).")
    private String user;

    @Option(names = "--smtp-password-file", paramLabel = "FILE", description = "File holding the SMTP password on its first line, mode 0600.")
    private Path passwordFile;

    @Option(names = "--mail-from", paramLabel = "ADDR", description = "Sender address of notification mails (required with --smtp-host).")
    private String from;

    @Option(names = "--mail-digest-interval", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.PositiveTimeout.class,
            description = "An account gets at most one digest per interval (default: ${DEFAULT-VALUE}).")
    private Duration digestInterval;

    /** The settings, or empty when no {@code --smtp-host} was given. */
    public Optional<MailSettings> settings(String serverName) {
        if (host == null) {
            if (from != null || user != null || passwordFile != null) {
                throw new ParameterException(mixee.commandLine(), "--mail-from, --smtp-user and --smtp-password-file need --smtp-host");
            }
            return Optional.empty();
        }
        if (from == null) {
            throw new ParameterException(mixee.commandLine(), "--smtp-host needs --mail-from");
        }
        if ((user == null) != (passwordFile == null)) {
            throw new ParameterException(mixee.commandLine(), "--smtp-user and --smtp-password-file go together");
        }
        int actualPort = port > 0 ? port : switch (security) {
            case STARTTLS -> 587;
            case IMPLICIT -> 465;
            case NONE -> 25;
        };
        Optional<char[]> password = Optional.ofNullable(passwordFile).map(MailOptions::readPassword);
        try {
            return Optional.of(new MailSettings(host, actualPort, security, Optional.ofNullable(user), password, from,
                    serverName, digestInterval, Duration.ofSeconds(30)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        } finally {
            password.ifPresent(p -> Arrays.fill(p, '\0'));
        }
    }

    private static char[] readPassword(Path file) {
        byte[] bytes = null;
        try {
            Optional<String> problem = PrivateFile.problem(file, "SMTP password file");
            if (problem.isPresent()) {
                throw new StartupException(problem.get());
            }
            bytes = Files.readAllBytes(file);
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, end));
            char[] password = Arrays.copyOfRange(chars.array(), chars.arrayOffset(), chars.arrayOffset() + chars.limit());
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new StartupException("SMTP password file " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new StartupException("cannot read SMTP password file " + file + ": " + e.getMessage(), e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
