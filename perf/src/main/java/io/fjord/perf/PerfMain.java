package io.fjord.perf;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code fjord perf}: Fjord's load generator, {@code produce} and {@code consume}, speaking the Kafka
 * protocol through Fjord's own protocol and record modules, so it runs the same load against Apache
 * Kafka and against Fjord. {@code bin/fjord perf} starts it; tests call {@link #run} in-process.
 *
 * <p>Exit codes: 0 done; 1 the run failed (a broker error code, a lost connection, a timeout, fewer
 * records than asked for); 2 bad command line (picocli's usage code), with a message naming the
 * option.
 */
@Command(name = "fjord perf", mixinStandardHelpOptions = true, version = "fjord perf 0.1.0",
    description = "Kafka-protocol load generator: produce and consume records against Apache Kafka or Fjord.",
    subcommands = {ProduceCommand.class, ConsumeCommand.class})
public final class PerfMain implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: produce or consume");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. Results go to {@code out}, failures to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine commandLine = new CommandLine(new PerfMain())
            .setOut(outWriter)
            .setErr(errWriter)
            .setParameterExceptionHandler((exception, arguments) -> {
                // One line naming the option, then where to look, rather than the whole usage text.
                CommandLine failed = exception.getCommandLine();
                errWriter.println("fjord perf: " + exception.getMessage());
                UnmatchedArgumentException.printSuggestions(exception, errWriter);
                errWriter.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for every option.");
                errWriter.flush();
                return EXIT_USAGE;
            })
            .setExecutionExceptionHandler((exception, failed, parseResult) -> {
                if (exception instanceof PerfException) {
                    errWriter.println("fjord perf: " + exception.getMessage());
                } else {
                    errWriter.println("fjord perf: unexpected failure:");
                    exception.printStackTrace(errWriter);
                }
                errWriter.flush();
                return EXIT_FAILED;
            });
        int exitCode = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return exitCode;
    }
}
