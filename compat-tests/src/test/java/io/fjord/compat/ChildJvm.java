package io.fjord.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a child JVM with a given classpath, capturing its output; bounded in time. */
final class ChildJvm {

    record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    static Result run(String classpath, String mainClass, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BrokerProcess.javaExecutable(), "-Xmx512m", "-cp", classpath, mainClass));
        command.addAll(args);
        return exec(command, timeoutSeconds, null);
    }

    static Result exec(List<String> command, long timeoutSeconds, String stdin) throws IOException, InterruptedException {
        Path output = Files.createTempFile("fjord-child-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Result(-1, "TIMED OUT after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        Files.deleteIfExists(output);
        return new Result(process.exitValue(), text);
    }
}
