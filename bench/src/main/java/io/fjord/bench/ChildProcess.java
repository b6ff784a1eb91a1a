package io.fjord.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool as a child process to completion with its output in a file (read back afterwards:
 * no pipe to drain, so a chatty tool can never block). Bounded by a timeout, after which the child
 * is killed. Used by the driver thread.
 */
final class ChildProcess {

    /** Exit code (-1 after a timeout), everything the child printed, and its wall time. */
    record Result(int exitCode, String output, double wallSeconds, boolean timedOut) {
        String tail(int lines) {
            String[] all = output.split("\n");
            return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
        }

        /** The last line that is not blank or a stack frame, quoted for markdown and cut at 200 characters. */
        String lastMeaningfulLine() {
            String[] lines = output.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String line = lines[i].strip();
                if (!line.isEmpty() && !line.startsWith("at ") && !line.startsWith("...")) {
                    return "`" + (line.length() > 200 ? line.substring(0, 200) + "…" : line).replace("`", "'") + "`";
                }
            }
            return "(no output)";
        }
    }

    private ChildProcess() {
    }

    static ProcessBuilder builder(List<String> command, Path outputFile) throws IOException {
        Files.createDirectories(outputFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Tools format numbers with the default locale; the parsers expect '.' decimals.
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        return builder;
    }

    /**
     * Ends every process this JVM started that is still running (the harnesses' shutdown hooks, after the broker's
     * orderly stop): a tool run in progress when the harness is stopped would otherwise go on writing to a broker of the
     * next run — a stopped scale run left two ProducerPerformance JVMs behind, and the next run's Kafka round failed on
     * "Topic already exists".
     */
    static void destroyDescendants() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    static Result run(List<String> command, Path outputFile, long timeoutSeconds) throws IOException, InterruptedException {
        long sizeBefore = Files.exists(outputFile) ? Files.size(outputFile) : 0;
        long startNs = System.nanoTime();
        Process process = builder(command, outputFile).start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        double wallSeconds = (System.nanoTime() - startNs) / 1e9;
        byte[] all = Files.readAllBytes(outputFile);
        String output = new String(all, (int) Math.min(sizeBefore, all.length), (int) (all.length - Math.min(sizeBefore, all.length)));
        return new Result(finished ? process.exitValue() : -1, output, wallSeconds, !finished);
    }
}
