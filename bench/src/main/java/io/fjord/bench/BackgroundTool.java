package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A tool that runs beside the measurements instead of to completion before them (the idle
 * connections): started with its output in a file and its stdin a pipe, it prints a line
 * {@code TAG key=value ...} when it reaches a state the driver waits for, and finishes when its
 * stdin is closed. Driver thread; {@link #close()} kills it if it is still running.
 */
final class BackgroundTool implements AutoCloseable {

    private static final long POLL_MS = 100;

    private final String name;
    private final Process process;
    private final Path outputFile;
    private final long outputOffset;

    private BackgroundTool(String name, Process process, Path outputFile, long outputOffset) {
        this.name = name;
        this.process = process;
        this.outputFile = outputFile;
        this.outputOffset = outputOffset;
    }

    static BackgroundTool start(String name, List<String> command, Path outputFile) throws IOException {
        long offset = Files.exists(outputFile) ? Files.size(outputFile) : 0;
        ProcessBuilder builder = ChildProcess.builder(command, outputFile).redirectInput(ProcessBuilder.Redirect.PIPE);
        return new BackgroundTool(name, builder.start(), outputFile, offset);
    }

    /** Waits for the tool's first {@code tag} line; throws if it exits or {@code timeoutMs} passes first. */
    Map<String, Double> awaitLine(String tag, long timeoutMs) throws IOException, InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            Optional<Map<String, Double>> values = ToolOutputs.keyValueLine(completeLines(output()), tag);
            if (values.isPresent()) {
                return values.get();
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited (code " + process.exitValue() + ") before printing " + tag + "; see " + outputFile);
            }
            if (System.nanoTime() > deadlineNs) {
                throw new IOException(name + " printed no " + tag + " line within " + timeoutMs + " ms; see " + outputFile);
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Closes the tool's stdin (its signal to finish), waits for it to exit and returns its {@code tag} line. */
    Map<String, Double> finish(String tag, long timeoutMs) throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            close();
            throw new IOException(name + " did not finish within " + timeoutMs + " ms of closing its stdin; killed; see " + outputFile);
        }
        return ToolOutputs.keyValueLine(output(), tag)
            .orElseThrow(() -> new IOException(name + " finished (code " + process.exitValue() + ") without a " + tag + " line; see " + outputFile));
    }

    /** {@code output} up to its last newline: the tool may be in the middle of printing a line. */
    static String completeLines(String output) {
        return output.substring(0, output.lastIndexOf('\n') + 1);
    }

    /** Everything the tool printed so far. */
    String output() throws IOException {
        byte[] all = Files.readAllBytes(outputFile);
        int from = (int) Math.min(outputOffset, all.length);
        return new String(all, from, all.length - from);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
