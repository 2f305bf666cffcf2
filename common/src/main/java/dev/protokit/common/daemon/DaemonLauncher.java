package dev.protokit.common.daemon;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.PropertiesDefaultProvider;

/**
 * Runs a picocli command as a daemon or tool: applies {@code --config FILE}, maps outcomes to
 * exit codes (0 clean, 1 runtime failure, 2 usage: a bad flag, or a {@link UsageException}) and
 * prints start-up failures on one line. Every binary uses this one rule.
 */
public final class DaemonLauncher {
    /** Exit status for a clean stop. */
    public static final int OK = 0;
    /** Exit status for a runtime failure. */
    public static final int FAILURE = 1;
    /** Exit status for a usage error. */
    public static final int USAGE = 2;

    private DaemonLauncher() {}

    /** Parses {@code args} into {@code command}, runs it and returns the exit status. */
    public static int run(Object command, String[] args) {
        var cli = new CommandLine(command);
        if (DocGen.writeIfAsked(cli)) {
            return OK;
        }
        String name = cli.getCommandName();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                commandLine.getErr().println(oneLine(name, e.getMessage()));
                commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
                return USAGE;
            }
            if (e instanceof StartupException) {
                commandLine.getErr().println(oneLine(name, e.getMessage()));
            } else {
                LoggerFactory.getLogger(name).error("{} failed: {}", name, e.toString(), e);
            }
            return FAILURE;
        });
        shortUsageErrors(cli);
        try {
            configFile(args).ifPresent(file -> cli.setDefaultValueProvider(defaults(file, cli.getCommandSpec())));
        } catch (StartupException e) {
            cli.getErr().println(oneLine(name, e.getMessage()));
            return USAGE;
        }
        return cli.execute(args);
    }

    /**
     * Makes a bad flag or argument print {@code name: message} and a pointer to {@code --help}
     * (not the whole usage text) and exit {@link #USAGE}; for tools that install their own
     * execution handler but want the shared usage rule.
     */
    public static void shortUsageErrors(CommandLine cli) {
        String name = cli.getCommandName();
        cli.setParameterExceptionHandler((e, badArgs) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(oneLine(name, e.getMessage()));
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
    }

    /** {@code name: message}, without repeating the name when the message already starts with it. */
    static String oneLine(String name, String message) {
        return message.startsWith(name + ":") ? message : name + ": " + message;
    }

    /** The value of {@code --config FILE} or {@code --config=FILE}, found before picocli parses. */
    static java.util.Optional<Path> configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return java.util.Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return java.util.Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return java.util.Optional.empty();
    }

    /** Loads a properties file and refuses keys that name no option, so typos do not pass silently. */
    static PropertiesDefaultProvider defaults(Path file, CommandSpec spec) {
        var props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new StartupException("config file " + file + ": no such file", e);
        } catch (IOException e) {
            throw new StartupException("cannot read config file " + file + ": " + e, e);
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            known.add(option.longestName().replaceFirst("^-+", ""));
        }
        for (String key : props.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new StartupException(
                        "config file " + file + ": unknown option '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
        return new PropertiesDefaultProvider(props);
    }
}
