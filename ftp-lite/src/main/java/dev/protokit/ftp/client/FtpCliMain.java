package dev.protokit.ftp.client;

import dev.protokit.common.daemon.DocGen;
import dev.protokit.common.daemon.VersionProvider;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ftp-lite}: a command-line FTP/FTPS client on commons-net. Errors are one line on stderr
 * ({@code ftp-lite: 550 No such file: /x}) and the exit status says what kind (see
 * {@link ExitCode}). {@link #run} is what tests call in-process.
 */
@Command(name = "ftp-lite", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "FTP and FTPS client: list, get, put, mkdir, rm, mv and mirror.",
        subcommands = {ListCommand.class, GetCommand.class, PutCommand.class, FileCommands.Mkdir.class,
                FileCommands.Rm.class, FileCommands.Mv.class, MirrorCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:internal error (a bug)", "2:usage error",
                "3:connection, TLS or login failure", "4:the server refused (4xx/5xx reply)", "5:local file error"},
        footerHeading = "%nExamples:%n",
        footer = {"  ftp-lite ls -l ftp://alice@ftp.example.org/pub",
                "  ftp-lite get -c --tls ftp://ftp.example.org/pub/big.iso",
                "  ftp-lite mirror --reverse --host 127.0.0.1 --port 2121 /site ./public"})
public final class FtpCliMain implements Runnable {
    private final InputStream stdin;
    private final java.io.OutputStream stdout;

    @Spec
    private CommandSpec spec;

    private FtpCliMain(InputStream stdin, java.io.OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    InputStream stdin() {
        return stdin;
    }

    /** Standard output as bytes, for {@code get URL -} (text goes through the command line's writer). */
    java.io.OutputStream stdout() {
        return stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: ls, get, put, mkdir, rm, mv or mirror");
    }

    public static void main(String[] args) {
        ResumingFtpsClient.useSessionIds();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /** Runs {@code ftp-lite} with {@code args} and returns its exit status. */
    public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
        return run(args, stdin, System.out, out, err);
    }

    /** As {@link #run(String[], InputStream, PrintWriter, PrintWriter)}, with downloads to {@code -} going to {@code stdoutBytes}. */
    public static int run(String[] args, InputStream stdin, java.io.OutputStream stdoutBytes, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FtpCliMain(stdin, stdoutBytes));
        if (DocGen.writeIfAsked(cli)) {
            return ExitCode.OK.status();
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("ftp-lite: " + e.getMessage());
            err.println("Try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return ExitCode.USAGE.status();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
            if (e instanceof FtpCliException failure) {
                err.println("ftp-lite: " + failure.getMessage());
                if (verbose && failure.getCause() != null) {
                    failure.getCause().printStackTrace(err);
                }
                err.flush();
                return failure.code().status();
            }
            err.println("ftp-lite: internal error: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCode.INTERNAL.status();
        });
        return cli.execute(args);
    }
}
