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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group state that must outlive processes: committed offsets across a SIGKILL of the broker, and
 * a static member (group.instance.id, KIP-345) that restarts inside its session timeout and gets
 * its partitions back without a rebalance.
 */
class GroupDurabilityIT {

    private static Properties consumerProps(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private static void produce(String bootstrap, String topic, int partitions, int perPartition) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, "v" + i));
                }
            }
            producer.flush();
        }
    }

    @Test
    void shouldKeepCommittedOffsetsAcrossKillNine(@TempDir Path workDir) throws Exception {
        try (BrokerProcess broker = new BrokerProcess(workDir)) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("durable", 2, (short) 1))).all().get();
            }
            produce(broker.bootstrap(), "durable", 2, 50);
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of(
                    new TopicPartition("durable", 0), new OffsetAndMetadata(17, "first"),
                    new TopicPartition("durable", 1), new OffsetAndMetadata(42, "second"));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(broker.bootstrap(), "durable-group"))) {
                consumer.assign(committed.keySet());
                consumer.commitSync(committed);
            }

            broker.kill();
            broker.start();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                Map<TopicPartition, OffsetAndMetadata> reloaded =
                        admin.listConsumerGroupOffsets("durable-group").partitionsToOffsetAndMetadata().get();
                assertThat(reloaded).as("offsets after kill -9 (data in %s)", broker.dataDir()).hasSize(2);
                assertThat(reloaded.get(new TopicPartition("durable", 0)).offset()).isEqualTo(17);
                assertThat(reloaded.get(new TopicPartition("durable", 0)).metadata()).isEqualTo("first");
                assertThat(reloaded.get(new TopicPartition("durable", 1)).offset()).isEqualTo(42);
            }
        }
    }

    @Test
    void shouldNotRebalanceWhenAStaticMemberRestartsWithinItsSessionTimeout() throws Exception {
        try (TestBroker broker = TestBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3"))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("static", 4, (short) 1))).all().get();
            }
            Properties a = consumerProps(broker.bootstrap(), "static-group");
            a.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "member-a");
            a.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
            Properties b = consumerProps(broker.bootstrap(), "static-group");
            b.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "member-b");
            b.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");

            try (KafkaConsumer<String, String> stable = new KafkaConsumer<>(a)) {
                stable.subscribe(List.of("static"));
                Set<TopicPartition> firstAssignment;
                int generation;
                try (KafkaConsumer<String, String> restarting = new KafkaConsumer<>(b)) {
                    restarting.subscribe(List.of("static"));
                    await("both static members assigned").atMost(Duration.ofSeconds(30)).until(() -> {
                        stable.poll(Duration.ofMillis(100));
                        restarting.poll(Duration.ofMillis(100));
                        return stable.assignment().size() == 2 && restarting.assignment().size() == 2;
                    });
                    firstAssignment = Set.copyOf(restarting.assignment());
                    generation = stable.groupMetadata().generationId();
                }
                // A static member's close sends no LeaveGroup: the group waits for it until the session times out.
                try (KafkaConsumer<String, String> restarted = new KafkaConsumer<>(b)) {
                    restarted.subscribe(List.of("static"));
                    await("restarted static member assigned").atMost(Duration.ofSeconds(20)).until(() -> {
                        stable.poll(Duration.ofMillis(100));
                        restarted.poll(Duration.ofMillis(100));
                        return restarted.assignment().size() == 2;
                    });
                    assertThat(restarted.assignment()).isEqualTo(firstAssignment);
                    assertThat(stable.groupMetadata().generationId()).as("no rebalance happened").isEqualTo(generation);
                    assertThat(restarted.groupMetadata().generationId()).isEqualTo(generation);
                }
            }
        }
    }

    @Test
    void shouldReportAnUnknownGroupAsNotFoundLikeKafka4() throws Exception {
        try (TestBroker broker = TestBroker.start(Map.of("offsets.topic.num.partitions", "3"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            // ConsumerGroupDescribe answers GROUP_ID_NOT_FOUND, the Admin client falls back to
            // DescribeGroups v6, which (KIP-1043) answers GROUP_ID_NOT_FOUND instead of a "Dead" group.
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            admin.describeConsumerGroups(List.of("no-such-group")).all().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
        }
    }
}
