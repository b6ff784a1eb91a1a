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

    /** A 3.9 group member in a child JVM whose output goes to {@code log}. */
    private static Process member(String group, java.nio.file.Path log) throws IOException {
        List<String> command = List.of(BrokerProcess.javaExecutable(), "-Xmx256m", "-cp", kafka39Classpath(),
                GroupMember.class.getName(), broker.bootstrap(), "kafka39-rebalance", group, "6000");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static java.util.Set<String> consumed(List<java.nio.file.Path> logs) throws IOException {
        java.util.Set<String> values = new java.util.HashSet<>();
        for (java.nio.file.Path log : logs) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("R ")) {
                        values.add(line.substring(2));
                    }
                }
            }
        }
        return values;
    }

    private static int lastAssignmentSize(java.nio.file.Path log) throws IOException {
        int size = -1;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("ASSIGNED ")) {
                size = Integer.parseInt(line.substring("ASSIGNED ".length()).trim());
            }
        }
        return size;
    }

    private static void produceRound(org.apache.kafka.clients.producer.KafkaProducer<String, String> producer, int round,
                                     java.util.Set<String> expected) {
        for (int partition = 0; partition < 6; partition++) {
            for (int i = 0; i < 50; i++) {
                String value = "r" + round + "-p" + partition + "-" + i;
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("kafka39-rebalance", partition, null, value));
                expected.add(value);
            }
        }
        producer.flush();
    }

    @Test
    void shouldRebalanceThreeKafka39MembersThroughLeaveCrashAndJoinWithoutSkippingRecords(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path workDir) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("kafka39-rebalance", 6, (short) 1))).all().get();
        }
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        java.util.Set<String> expected = new java.util.HashSet<>();
        List<java.nio.file.Path> logs = List.of(workDir.resolve("a.log"), workDir.resolve("b.log"), workDir.resolve("c.log"),
                workDir.resolve("d.log"));
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                props, new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            produceRound(producer, 1, expected);
            Process a = member("kafka39-rebalance-group", logs.get(0));
            Process b = member("kafka39-rebalance-group", logs.get(1));
            Process c = member("kafka39-rebalance-group", logs.get(2));
            Process d = null;
            try {
                org.awaitility.Awaitility.await("three 3.9 members with two partitions each (logs in " + workDir + ")")
                        .atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200)).until(() ->
                                lastAssignmentSize(logs.get(0)) == 2 && lastAssignmentSize(logs.get(1)) == 2
                                        && lastAssignmentSize(logs.get(2)) == 2);
                produceRound(producer, 2, expected);
                c.destroyForcibly().waitFor();
                b.getOutputStream().write("leave\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                b.getOutputStream().flush();
                d = member("kafka39-rebalance-group", logs.get(3));
                produceRound(producer, 3, expected);
                org.awaitility.Awaitility.await("every record consumed by the group (logs in " + workDir + ")")
                        .atMost(java.time.Duration.ofSeconds(90)).pollInterval(java.time.Duration.ofMillis(500))
                        .until(() -> consumed(logs).containsAll(expected));
                org.awaitility.Awaitility.await("the two remaining members share the six partitions")
                        .atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200))
                        .until(() -> lastAssignmentSize(logs.get(0)) + lastAssignmentSize(logs.get(3)) == 6);
                assertThat(b.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(logs.get(1))).contains("LEFT");
            } finally {
                for (Process process : new Process[]{a, b, c, d}) {
                    if (process != null) {
                        process.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }
}
