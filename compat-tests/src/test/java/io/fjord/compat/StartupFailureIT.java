package io.fjord.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker that cannot start says why and exits with status 1 instead of hanging: the served
 * command ({@code io.fjord.broker.Main}, what {@code bin/fjord server} runs) in its own JVM.
 */
class StartupFailureIT {

    @Test
    void portAlreadyInUseExitsWithTheReason(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result result = run(dir, "--override", "listeners=PLAINTEXT://127.0.0.1:" + taken.getLocalPort());
            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("could not start").containsIgnoringCase("address already in use");
        }
    }

    @Test
    void badConfigValueExitsNamingTheKey(@TempDir Path dir) throws Exception {
        Result result = run(dir, "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "num.network.threads=many");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("num.network.threads");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(BrokerProcess.javaExecutable(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.fjord.broker.Main", "--data-dir", dir.resolve("data").toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("broker.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the broker did not exit within 60 s: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
