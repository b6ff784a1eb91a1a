package io.fjord.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache kafka-clients 3.9 against Fjord, in a child JVM whose classpath has the 3.9 jar instead of
 * the 4.x one (target/kafka39, prepared by the build), running {@link ClientDriver}.
 */
class Kafka39ClientIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String kafka39Classpath() throws IOException {
        Path jars = Path.of(System.getProperty("fjord.kafka39.dir", "target/kafka39"));
        String classpath;
        try (Stream<Path> files = Files.list(jars)) {
            classpath = files.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
        return classpath + File.pathSeparator + Path.of(ClientDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    }

    @Test
    void shouldProduceAndConsumeWithKafkaClients39() throws IOException, InterruptedException {
        ChildJvm.Result result = ChildJvm.run(kafka39Classpath(), ClientDriver.class.getName(),
                List.of(broker.bootstrap(), "kafka39-topic"), 120);

        assertThat(result.output()).as("exit %s, output:%n%s", result.exitCode(), result.output()).contains("CLIENT-OK 3.9.");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldConsumeInAGroupAndCommitWithKafkaClients39() throws IOException, InterruptedException {
        ChildJvm.Result produced = ChildJvm.run(kafka39Classpath(), ClientDriver.class.getName(),
                List.of(broker.bootstrap(), "kafka39-group-topic"), 120);
        assertThat(produced.exitCode()).as(produced.output()).isZero();

        ChildJvm.Result result = ChildJvm.run(kafka39Classpath(), GroupDriver.class.getName(),
                List.of(broker.bootstrap(), "kafka39-group-topic", "kafka39-group", "1000"), 120);

        assertThat(result.output()).as("exit %s, output:%n%s", result.exitCode(), result.output()).contains("GROUP-OK 3.9. ".trim());
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldCommitAbortAndFenceTransactionsWithKafkaClients39() throws IOException, InterruptedException {
        ChildJvm.Result result = ChildJvm.run(kafka39Classpath(), TxnDriver.class.getName(),
                List.of(broker.bootstrap(), "kafka39-txn-topic"), 120);

        assertThat(result.output()).as("exit %s, output:%n%s", result.exitCode(), result.output()).contains("TXN-OK 3.9.");
        assertThat(result.exitCode()).isZero();
    }
}
