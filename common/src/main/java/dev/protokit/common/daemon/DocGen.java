package dev.protokit.common.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes a binary's man page (roff, section 1) and, for daemons, a commented sample
 * {@code --config} file, both from its picocli definitions, so neither can drift from the
 * flags. Asked for with {@code -Dprotokit.docgen=DIR} (packaging runs every launcher so); every
 * binary gets this through {@link DaemonLauncher} or one call in its own {@code main}.
 */
public final class DocGen {
    /** The system property naming the output directory. */
    public static final String PROPERTY = "protokit.docgen";

    private DocGen() {
    }

    /** When {@value #PROPERTY} is set, writes the documents for {@code cli} and returns true. */
    public static boolean writeIfAsked(CommandLine cli) {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            return false;
        }
        try {
            Path out = Files.createDirectories(Path.of(dir));
            String name = cli.getCommandName();
            Files.writeString(out.resolve(name + ".1"), manPage(cli), StandardCharsets.UTF_8);
            if (cli.getCommandSpec().findOption("--config") != null) {
                Files.writeString(out.resolve(name + ".conf"), sampleConfig(cli.getCommandSpec()), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write documentation to " + dir, e);
        }
        return true;
    }

    /** The man page of {@code cli} and its subcommands. */
    static String manPage(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        String name = spec.name();
        var roff = new StringBuilder()
                .append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"").append(LocalDate.now())
                .append("\" \"protokit ").append(Version.current()).append("\" \"protokit manual\"\n")
                .append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstLine(spec))).append('\n')
                .append(".SH SYNOPSIS\n").append(synopsis(cli)).append('\n');
        String description = String.join(" ", spec.usageMessage().description());
        if (!description.isBlank()) {
            roff.append(".SH DESCRIPTION\n").append(escape(description)).append('\n');
        }
        options(roff, ".SH OPTIONS\n", spec);
        for (var sub : cli.getSubcommands().entrySet()) {
            CommandSpec subSpec = sub.getValue().getCommandSpec();
            if (subSpec.usageMessage().hidden()) {
                continue;
            }
            roff.append(".SH COMMAND ").append(escape(sub.getKey().toUpperCase(Locale.ROOT))).append('\n')
                    .append(synopsis(sub.getValue())).append("\n.PP\n")
                    .append(escape(String.join(" ", subSpec.usageMessage().description()))).append('\n');
            options(roff, "", subSpec);
        }
        roff.append(".SH EXIT STATUS\n.TP\n0\nSuccess (a daemon: a clean stop after SIGTERM or SIGINT).\n")
                .append(".TP\n1\nA runtime failure, explained on one line.\n")
                .append(".TP\n2\nA usage error: a bad flag or value, or flags that do not go together.\n");
        if (spec.findOption("--config") != null) {
            roff.append(".SH FILES\nA sample configuration with every flag is installed as\n.IR ")
                    .append(escape(name)).append(".conf\nunder the examples directory of the installation.\n");
        }
        roff.append(".SH SEE ALSO\nThe protokit documentation under the installation's docs directory.\n");
        return roff.toString();
    }

    /** Every long flag of a daemon as a commented {@code name = default} line with its description. */
    static String sampleConfig(CommandSpec spec) {
        var text = new StringBuilder("# Sample configuration for ").append(spec.name()).append(' ').append(Version.current())
                .append(", generated from its flags.\n# Pass it with --config FILE; flags on the command line win.\n")
                .append("# Every line is commented out: uncomment and edit the ones you need.\n");
        for (OptionSpec option : spec.options()) {
            String key = option.longestName().replaceFirst("^-+", "");
            if (option.hidden() || option.usageHelp() || option.versionHelp() || key.equals("config")) {
                continue;
            }
            text.append('\n');
            for (String line : wrap(String.join(" ", option.description()), 90)) {
                text.append("# ").append(line).append('\n');
            }
            String value = Optional.ofNullable(option.defaultValue()).orElse(option.arity().max() == 0 ? "false" : "");
            text.append("# ").append(key).append(" = ").append(value).append('\n');
        }
        return text.toString();
    }

    private static void options(StringBuilder roff, String heading, CommandSpec spec) {
        roff.append(heading);
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            roff.append(".TP\n\\fB").append(escape(String.join("\\fR, \\fB", option.names()))).append("\\fR");
            if (option.arity().max() > 0) {
                roff.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
            }
            roff.append('\n').append(escape(String.join(" ", option.description()))).append('\n');
        }
        for (var positional : spec.positionalParameters()) {
            if (!positional.hidden()) {
                roff.append(".TP\n\\fI").append(escape(positional.paramLabel())).append("\\fR\n")
                        .append(escape(String.join(" ", positional.description()))).append('\n');
            }
        }
    }

    private static String synopsis(CommandLine cli) {
        String line = cli.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
        return ".B " + escape(line);
    }

    private static String firstLine(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        String first = description.length > 0 ? description[0] : spec.name();
        int stop = first.indexOf(". ");
        return stop > 0 ? first.substring(0, stop) : first.replaceFirst("\\.$", "");
    }

    private static List<String> wrap(String text, int width) {
        var lines = new java.util.ArrayList<String>();
        var line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** roff: a backslash is doubled, a leading dot or quote cannot start a request, dashes are literal. */
    private static String escape(String text) {
        String t = text.replace("\\", "\\\\").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
