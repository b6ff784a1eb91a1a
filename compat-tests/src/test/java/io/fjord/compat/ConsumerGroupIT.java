package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumer groups with Apache kafka-clients 4.x against a real Fjord broker: three consumers share
 * a 6-partition topic, then one leaves, one crashes (closed without LeaveGroup, so only its session
 * timeout removes it) and one joins; every record must be consumed (duplicates allowed up to the
 * last commit, nothing skipped). Committed offsets survive a broker restart.
 */
class ConsumerGroupIT {

    private static final Map<String, String> BROKER_OVERRIDES = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.min.session.timeout.ms", "1000",
            "offsets.topic.num.partitions", "5");
    private static final int PARTITIONS = 6;

    private TestBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** One consumer polling on its own thread, committing synchronously after every batch. */
    private static final class Member implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final Set<String> seen;
        final AtomicBoolean running = new AtomicBoolean(true);
        volatile Set<TopicPartition> assignment = Set.of();
        volatile boolean leaveOnClose = true;
        final Thread thread;

        Member(String bootstrap, String group, String topic, String assignor, Set<String> seen) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "3000");
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
            this.consumer = new KafkaConsumer<>(props);
            this.seen = seen;
            consumer.subscribe(List.of(topic));
            this.thread = new Thread(this::run, "consumer-" + group);
            thread.start();
        }

        private void run() {
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(record.value());
                }
                try {
                    consumer.commitSync();
                } catch (RebalanceInProgressException | CommitFailedException e) {
                    // Normal during a (cooperative) rebalance: the records are committed after the next poll.
                }
                assignment = Set.copyOf(consumer.assignment());
            }
            consumer.close(leaveOnClose ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    : CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        }

        /** Closes; {@code leave=false} is a crash as far as the group can tell: no LeaveGroup is sent. */
        void stop(boolean leave) throws InterruptedException {
            leaveOnClose = leave;
            running.set(false);
            thread.join(30_000);
        }

        @Override
        public void close() {
            if (thread.isAlive()) {
                try {
                    stop(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    private void createTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    private Set<String> produce(String topic, String prefix, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Set<String> values = new HashSet<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
                values.add(value);
            }
            producer.flush();
        }
        return values;
    }

    private static void awaitPartitionsEach(List<Member> members, int each) {
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            for (Member member : members) {
                assertThat(member.assignment).as("assignment of %s", member.thread.getName()).hasSize(each);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"org.apache.kafka.clients.consumer.RangeAssignor", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"})
    void threeConsumersSplitPartitionsAndLoseNothingWhenMembersLeaveCrashAndJoin(String assignor) throws Exception {
        broker = TestBroker.start(BROKER_OVERRIDES);
        String topic = "orders-" + assignor.hashCode();
        String group = "billing-" + assignor.hashCode();
        createTopic(topic);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> produced = new HashSet<>();
        try (Member a = new Member(broker.bootstrap(), group, topic, assignor, seen);
             Member b = new Member(broker.bootstrap(), group, topic, assignor, seen);
             Member c = new Member(broker.bootstrap(), group, topic, assignor, seen)) {
            awaitPartitionsEach(List.of(a, b, c), 2);
            produced.addAll(produce(topic, "first", 600));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            a.stop(true);
            awaitPartitionsEach(List.of(b, c), 3);
            produced.addAll(produce(topic, "after-leave", 600));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            b.stop(false);
            produced.addAll(produce(topic, "after-crash", 600));
            awaitPartitionsEach(List.of(c), 6);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            try (Member d = new Member(broker.bootstrap(), group, topic, assignor, seen)) {
                awaitPartitionsEach(List.of(c, d), 3);
                produced.addAll(produce(topic, "after-join", 600));
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));
            }
        }
        assertThat(seen).as("records consumed by the group on %s", broker).containsAll(produced);
    }

    @Test
    void committedOffsetsSurviveABrokerRestart() throws Exception {
        broker = TestBroker.start(BROKER_OVERRIDES);
        createTopic("ledger");
        produce("ledger", "v", 60);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (Member member = new Member(broker.bootstrap(), "auditors", "ledger", "org.apache.kafka.clients.consumer.RangeAssignor", seen)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 60);
        }
        broker.restart();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("auditors").partitionsToOffsetAndMetadata().get();
            assertThat(committed).as("offsets after restart of %s", broker).hasSize(PARTITIONS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(60);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("auditors")).all().get().get("auditors");
            assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
        }
        Set<String> afterRestart = ConcurrentHashMap.newKeySet();
        produce("ledger", "w", 6);
        try (Member member = new Member(broker.bootstrap(), "auditors", "ledger", "org.apache.kafka.clients.consumer.RangeAssignor", afterRestart)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> afterRestart.size() == 6);
        }
        assertThat(afterRestart).allMatch(value -> value.startsWith("w-"));
    }
}
