package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer groups of non-Java clients against Fjord: kcat's balanced consumer ({@code -G},
 * librdkafka 2.0.2 with the classic protocol at JoinGroup v5 and friends) and a kafkajs consumer
 * group, each with two members sharing a 4-partition topic.
 */
class GroupClientsIT {

    private static final int PARTITIONS = 4;
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(Map.of("offsets.topic.num.partitions", "3"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    private static Set<String> produce(String topic, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Set<String> values = new HashSet<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "kcat-value-" + i));
                values.add("kcat-value-" + i);
            }
        }
        return values;
    }

    /** Both members start inside group.initial.rebalance.delay.ms (3 s), so the first generation splits the partitions. */
    @Test
    void shouldShareATopicBetweenTwoKcatBalancedConsumers() throws Exception {
        createTopic("kcat-group-topic");
        Set<String> produced = produce("kcat-group-topic", 40);
        List<String> command = List.of("timeout", "15", "kcat", "-b", broker.bootstrap(), "-G", "kcat-group",
                "-X", "auto.offset.reset=earliest", "-f", "value=%s partition=%p\\n", "kcat-group-topic");
        // Own threads: the common pool may have a single thread on a small machine, which would run them one after the other.
        ExecutorService launcher = Executors.newFixedThreadPool(2);
        String firstOutput;
        String secondOutput;
        try {
            CompletableFuture<ChildJvm.Result> first = CompletableFuture.supplyAsync(() -> exec(command), launcher);
            CompletableFuture<ChildJvm.Result> second = CompletableFuture.supplyAsync(() -> exec(command), launcher);
            firstOutput = first.get().output();
            secondOutput = second.get().output();
        } finally {
            launcher.shutdownNow();
        }

        Set<String> consumed = new HashSet<>();
        consumed.addAll(values(firstOutput));
        consumed.addAll(values(secondOutput));
        assertThat(consumed).as("first:\n%s\nsecond:\n%s", firstOutput, secondOutput).containsAll(produced);
        assertThat(values(firstOutput)).as(firstOutput).isNotEmpty();
        assertThat(values(secondOutput)).as(secondOutput).isNotEmpty();
    }

    private static ChildJvm.Result exec(List<String> command) {
        try {
            return ChildJvm.exec(command, 60, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> values(String output) {
        List<String> values = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("value=")) {
                values.add(line.substring("value=".length(), line.indexOf(' ')));
            }
        }
        return values;
    }

    @Test
    void shouldShareATopicBetweenTwoKafkajsGroupMembers() throws Exception {
        Path jsDir = Path.of(System.getProperty("fjord.js.dir", "js"));
        assertThat(jsDir.resolve("node_modules/kafkajs")).as("run `npm ci` in %s (.ci/run does)", jsDir).exists();
        createTopic("kafkajs-group-topic");

        ChildJvm.Result result = ChildJvm.exec(List.of("node", jsDir.resolve("consume-group.js").toString(),
                broker.bootstrap(), "kafkajs-group-topic", "kafkajs-group", "200"), 120, null);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("\"union\":200");
        assertThat(result.output()).as(result.output()).doesNotContain("\"seen\":[0,").doesNotContain(",0]");
    }
}
