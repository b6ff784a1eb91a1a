package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's {@code kafka-consumer-groups} ({@code ConsumerGroupCommand} from kafka-tools 4.x) against
 * Fjord: list, describe (members, offsets, lag), reset offsets (to-earliest, shift-by, to-datetime)
 * and delete a group. Runs in a child JVM because the tool calls System.exit.
 */
class ConsumerGroupCommandIT {

    private static final String TOOL = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final String TOPIC = "tool-orders";
    private static final String GROUP = "tool-group";
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3"));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
        produce(10);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    private static void produce(int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, null, "v" + i));
            }
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tool-test-client");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static ChildJvm.Result tool(String... args) throws IOException, InterruptedException {
        List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-server", broker.bootstrap()));
        all.addAll(List.of(args));
        return ChildJvm.run(System.getProperty("java.class.path"), TOOL, all, 120);
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        }
    }

    @Test
    void shouldListDescribeResetAndDeleteAGroup() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(TOPIC));
            int consumed = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumed < 10 && System.currentTimeMillis() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(consumed).isEqualTo(10);
            consumer.commitSync();

            ChildJvm.Result list = tool("--list");
            assertThat(list.output()).as(list.output()).contains(GROUP);
            ChildJvm.Result members = tool("--describe", "--group", GROUP, "--members");
            assertThat(members.output()).as(members.output()).contains("tool-test-client").contains("/127.0.0.1");
            ChildJvm.Result state = tool("--describe", "--group", GROUP, "--state");
            assertThat(state.output()).as(state.output()).contains("Stable").contains("range");
        }
        produce(4);
        ChildJvm.Result describe = tool("--describe", "--group", GROUP);
        assertThat(describe.output()).as(describe.output()).contains(TOPIC).contains("LAG").containsPattern(TOPIC + "\\s+0\\s+5\\s+7\\s+2");

        ChildJvm.Result earliest = tool("--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-earliest", "--execute");
        assertThat(earliest.exitCode()).as(earliest.output()).isZero();
        assertThat(committed().values()).extracting(OffsetAndMetadata::offset).containsOnly(0L);

        ChildJvm.Result shift = tool("--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--shift-by", "3", "--execute");
        assertThat(shift.exitCode()).as(shift.output()).isZero();
        assertThat(committed().values()).extracting(OffsetAndMetadata::offset).containsOnly(3L);

        ChildJvm.Result datetime = tool("--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-datetime", "2000-01-01T00:00:00.000", "--execute");
        assertThat(datetime.exitCode()).as(datetime.output()).isZero();
        assertThat(committed().values()).extracting(OffsetAndMetadata::offset).containsOnly(0L);

        ChildJvm.Result delete = tool("--delete", "--group", GROUP);
        assertThat(delete.output()).as(delete.output()).contains("successful");
        assertThat(tool("--list").output()).doesNotContain(GROUP);
        assertThat(committed()).isEmpty();
    }
}
