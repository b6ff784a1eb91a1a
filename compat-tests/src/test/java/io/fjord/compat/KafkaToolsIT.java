package io.fjord.compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's own command-line tools (from org.apache.kafka:kafka-tools, the classes behind
 * kafka-topics.sh, kafka-console-producer.sh, kafka-console-consumer.sh, kafka-get-offsets.sh and
 * the ClientCompatibilityTest of Kafka's system tests), unchanged, against Fjord. Each runs in a
 * child JVM because the tools call System.exit.
 */
class KafkaToolsIT {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static ChildJvm.Result tool(String mainClass, String... args) throws IOException, InterruptedException {
        return ChildJvm.run(System.getProperty("java.class.path"), mainClass, List.of(args), 120);
    }

    private static ChildJvm.Result toolWithInput(String input, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BrokerProcess.javaExecutable(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return ChildJvm.exec(command, 120, input);
    }

    @Test
    void shouldCreateListAndDescribeTopicsWithTopicCommand() throws Exception {
        ChildJvm.Result create = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap(),
                "--create", "--topic", "tool-topic", "--partitions", "3", "--config", "retention.ms=86400000");
        assertThat(create.output()).contains("Created topic tool-topic.");

        ChildJvm.Result list = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap(), "--list");
        assertThat(list.output()).contains("tool-topic");

        ChildJvm.Result describe = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap(),
                "--describe", "--topic", "tool-topic");
        assertThat(describe.output()).contains("PartitionCount: 3").contains("retention.ms=86400000").contains("Leader: 1");

        ChildJvm.Result alter = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap(),
                "--alter", "--topic", "tool-topic", "--partitions", "4");
        assertThat(alter.exitCode()).as(alter.output()).isZero();

        ChildJvm.Result delete = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap(),
                "--delete", "--topic", "tool-topic");
        assertThat(delete.exitCode()).as(delete.output()).isZero();
    }

    @Test
    void shouldProduceAndConsumeWithConsoleToolsAndGetOffsets() throws Exception {
        String topic = "console-topic";
        ChildJvm.Result produce = toolWithInput("k1:first\nk2:second\nk3:third\n", "org.apache.kafka.tools.ConsoleProducer",
                "--bootstrap-server", broker.bootstrap(), "--topic", topic,
                "--property", "parse.key=true", "--property", "key.separator=:");
        assertThat(produce.exitCode()).as(produce.output()).isZero();

        ChildJvm.Result consume = tool("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", broker.bootstrap(),
                "--topic", topic, "--partition", "0", "--offset", "earliest", "--max-messages", "3",
                "--property", "print.key=true", "--timeout-ms", "30000");
        assertThat(consume.output()).contains("k1\tfirst").contains("k2\tsecond").contains("k3\tthird");

        ChildJvm.Result offsets = tool("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", broker.bootstrap(),
                "--topic", topic);
        assertThat(offsets.output()).contains(topic + ":0:3");
    }

    @Test
    void shouldPassKafkasClientCompatibilityTest() throws Exception {
        ChildJvm.Result result = tool("org.apache.kafka.tools.ClientCompatibilityTest",
                "--bootstrap-server", broker.bootstrap(), "--topic", "compat-topic",
                "--offsets-for-times-supported", "true", "--cluster-id-supported", "true",
                "--expect-record-too-large-exception", "false", "--num-cluster-nodes", "1",
                "--create-topics-supported", "true", "--describe-acls-supported", "false",
                "--describe-configs-supported", "true", "--idempotent-producer-supported", "true");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
