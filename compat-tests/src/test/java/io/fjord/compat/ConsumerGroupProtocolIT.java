package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
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
 * The KIP-848 consumer group protocol ({@code group.protocol=consumer}) with Apache kafka-clients
 * 4.x against a real Fjord broker: three consumers share a 6-partition topic (two partitions each,
 * assigned by the broker's uniform or range assignor), then one leaves, one joins from a child JVM
 * and crashes (halts; only its session timeout removes it), and one joins; every record is consumed
 * and no partition is ever seen owned by two members at once. Admin sees the group as a
 * "consumer" group through ConsumerGroupDescribe and ListGroups v5.
 */
class ConsumerGroupProtocolIT {

    private static final Map<String, String> BROKER_OVERRIDES = Map.of(
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.session.timeout.ms", "6000",
            "offsets.topic.num.partitions", "5");
    private static final int PARTITIONS = 6;

    private TestBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** One KIP-848 consumer polling on its own thread, committing synchronously after every batch. */
    private static final class Member implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final Set<String> seen;
        final AtomicBoolean running = new AtomicBoolean(true);
        volatile Set<TopicPartition> assignment = Set.of();
        volatile boolean leaveOnClose = true;
        final Thread thread;

        Member(String bootstrap, String group, String topic, String assignor, Set<String> seen, String name) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name());
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            this.consumer = new KafkaConsumer<>(props);
            this.seen = seen;
            consumer.subscribe(List.of(topic));
            this.thread = new Thread(this::run, "consumer-" + name);
            thread.start();
        }

        private void run() {
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(record.value());
                }
                try {
                    consumer.commitSync();
                } catch (RebalanceInProgressException | CommitFailedException | StaleMemberEpochException | UnknownMemberIdException e) {
                    // A commit racing an epoch bump or a fencing: the records are committed after the next poll.
                }
                assignment = Set.copyOf(consumer.assignment());
            }
            consumer.close(leaveOnClose ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    : CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        }

        /** Closes; {@code leave=false} is a crash as far as the group can tell: no leave heartbeat is sent. */
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

    private void awaitPartitionsEach(List<Member> members, int each) {
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            Set<TopicPartition> all = new HashSet<>();
            for (Member member : members) {
                assertThat(member.assignment).as("assignment of %s on %s", member.thread.getName(), broker).hasSize(each);
                all.addAll(member.assignment);
            }
            assertThat(all).as("no partition owned twice").hasSize(each * members.size());
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uniform", "range"})
    void threeConsumersSplitPartitionsAndLoseNothingWhenMembersLeaveCrashAndJoin(String assignor) throws Exception {
        broker = TestBroker.start(BROKER_OVERRIDES);
        String topic = "orders-" + assignor;
        String group = "billing-" + assignor;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> produced = new HashSet<>();
        try (Member a = new Member(broker.bootstrap(), group, topic, assignor, seen, "a");
             Member b = new Member(broker.bootstrap(), group, topic, assignor, seen, "b");
             Member c = new Member(broker.bootstrap(), group, topic, assignor, seen, "c")) {
            awaitPartitionsEach(List.of(a, b, c), 2);
            assertDescribedAsConsumerGroup(group, assignor, 3);
            produced.addAll(produce(topic, "first", 600));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            a.stop(true);
            awaitPartitionsEach(List.of(b, c), 3);
            produced.addAll(produce(topic, "after-leave", 600));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            // A member in another JVM joins, gets its partitions and dies without a word: only its session timeout removes it.
            ChildJvm.Result crashed = ChildJvm.run(System.getProperty("java.class.path"), CrashingMember.class.getName(),
                    List.of(broker.bootstrap(), group, topic, assignor), 120);
            assertThat(crashed.output()).as("crashing member output (exit %d)", crashed.exitCode()).contains("ASSIGNED");
            produced.addAll(produce(topic, "after-crash", 600));
            awaitPartitionsEach(List.of(b, c), 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            try (Member d = new Member(broker.bootstrap(), group, topic, assignor, seen, "d")) {
                awaitPartitionsEach(List.of(b, c, d), 2);
                produced.addAll(produce(topic, "after-join", 600));
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));
            }
        }
        assertThat(seen).as("records consumed by the group on %s", broker).containsAll(produced);
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).as("committed offsets").isEqualTo(2400);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(admin.describeConsumerGroups(List.of(group)).all().get()
                    .get(group).groupState()).isEqualTo(GroupState.EMPTY));
        }
    }

    /**
     * Run in a child JVM: joins the group, waits until it owns partitions, prints "ASSIGNED" and halts
     * the JVM, so no leave heartbeat is ever sent. It commits nothing, so its records are re-read by the others.
     */
    public static final class CrashingMember {
        public static void main(String[] args) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name());
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, args[3]);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(args[2]));
            long deadlineMs = System.currentTimeMillis() + 60_000;
            while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadlineMs) {
                consumer.poll(Duration.ofMillis(100));
            }
            System.out.println(consumer.assignment().isEmpty() ? "NO ASSIGNMENT" : "ASSIGNED " + consumer.assignment());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    @org.junit.jupiter.api.Test
    void consumerGroupAndItsOffsetsSurviveABrokerRestart() throws Exception {
        broker = TestBroker.start(BROKER_OVERRIDES);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("ledger", PARTITIONS, (short) 1))).all().get();
        }
        produce("ledger", "v", 60);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (Member member = new Member(broker.bootstrap(), "auditors", "ledger", "uniform", seen, "auditor")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 60);
        }
        broker.restart();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("auditors").partitionsToOffsetAndMetadata().get();
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).as("offsets after restart of %s", broker).isEqualTo(60);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("auditors")).all().get().get("auditors");
            assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
        }
        Set<String> afterRestart = ConcurrentHashMap.newKeySet();
        produce("ledger", "w", 6);
        try (Member member = new Member(broker.bootstrap(), "auditors", "ledger", "uniform", afterRestart, "auditor-2")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> afterRestart.size() == 6);
        }
        assertThat(afterRestart).allMatch(value -> value.startsWith("w-"));
    }

    private void assertDescribedAsConsumerGroup(String group, String assignor, int members) throws Exception {
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(description.partitionAssignor()).isEqualTo(assignor);
                assertThat(description.members()).hasSize(members);
                description.members().forEach(member -> assertThat(member.assignment().topicPartitions()).hasSize(2));
            });
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CONSUMER))).all().get())
                    .anyMatch(listing -> listing.groupId().equals(group) && listing.type().orElseThrow() == GroupType.CONSUMER);
        }
    }
}
