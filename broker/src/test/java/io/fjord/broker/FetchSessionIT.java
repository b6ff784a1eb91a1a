package io.fjord.broker;

import io.fjord.broker.server.FjordBroker;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.record.MemoryRecordsBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental fetch sessions (KIP-227) against a running broker: the protocol spoken by hand, and
 * the Java consumer, which opens a session on its first fetch, reading every record of many
 * partitions exactly once while a producer keeps writing to them.
 */
class FetchSessionIT {

    private static final short FETCH_VERSION = 12;
    private static FjordBroker broker;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        broker = RawClient.startBroker("fjord-fetch-session-", Map.of("num.partitions", "3"));
        port = broker.boundEndpoints().get(0).port();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldAnswerIncrementalFetchesWithOnlyThePartitionsThatChanged() throws Exception {
        try (RawClient client = new RawClient(port); RawClient producer = new RawClient(port)) {
            client.call(ApiMessageType.METADATA, (short) 12, new MetadataRequestData().setTopics(new ArrayList<>(List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName("sessions")))), new MetadataResponseData());
            produce(producer, 0, 1, 2);

            FetchResponseData full = fetch(client, 0, 0, 0, Map.of(0, 0L, 1, 0L, 2, 0L));
            int session = full.sessionId();
            FetchResponseData caughtUp = fetch(client, session, 1, 0, Map.of(0, 1L, 1, 1L, 2, 1L));
            produce(producer, 1);
            FetchResponseData oneNew = fetch(client, session, 2, 0, Map.of());
            FetchResponseData replayed = fetch(client, session, 2, 0, Map.of());
            client.send(ApiMessageType.FETCH, FETCH_VERSION, request(session, 3, 10_000, Map.of(1, 2L)));
            produce(producer, 2);
            FetchResponseData woken = client.receive(ApiMessageType.FETCH, FETCH_VERSION, new FetchResponseData());

            assertThat(session).as("a session is opened by the full fetch").isPositive();
            assertThat(partitionsWithRecords(full)).containsExactly(0, 1, 2);
            assertThat(full.responses().get(0).partitions()).hasSize(3);
            assertThat(caughtUp.sessionId()).isEqualTo(session);
            assertThat(caughtUp.responses()).as("nothing new: no partition in the answer").isEmpty();
            assertThat(oneNew.responses()).hasSize(1);
            assertThat(oneNew.responses().get(0).partitions()).extracting(FetchResponseData.PartitionData::partitionIndex)
                    .containsExactly(1);
            assertThat(oneNew.responses().get(0).partitions().get(0).highWatermark()).isEqualTo(2);
            assertThat(replayed.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
            assertThat(partitionsWithRecords(woken)).as("the long poll wakes for a session partition the request did not name")
                    .containsExactly(2);
            assertThat(woken.responses().get(0).partitions()).extracting(FetchResponseData.PartitionData::partitionIndex)
                    .containsExactly(2);
        }
    }

    @Test
    void shouldLetTheJavaConsumerReadManyPartitionsThroughOneSessionWhileAProducerWrites() throws Exception {
        String topic = "session-consumer";
        int partitions = 24;
        int perPartition = 400;
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Small responses: each fetch fills a few partitions, so partitions keep leaving and rejoining the session.
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "2048");
        consumerProps.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "8192");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        int sessionsBefore = broker.fetchSessions().size();
        Map<Integer, List<String>> seen = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perPartition; i++) {
                    for (int p = 0; p < partitions; p++) {
                        producer.send(new ProducerRecord<>(topic, p, null, p + ":" + i));
                    }
                    if (i % 50 == 0) {
                        producer.flush();
                    }
                }
                producer.flush();
            });
            int total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (total < partitions * perPartition && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    List<String> values = seen.computeIfAbsent(record.partition(), ignored -> new ArrayList<>());
                    assertThat(record.offset()).as("partition %d reads each offset once, in order", record.partition())
                            .isEqualTo(values.size());
                    values.add(record.value());
                    total++;
                }
            }
            writing.get(30, TimeUnit.SECONDS);
            assertThat(broker.fetchSessions().size()).as("the consumer fetches through a session").isEqualTo(sessionsBefore + 1);
        }
        for (int p = 0; p < partitions; p++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perPartition; i++) {
                expected.add(p + ":" + i);
            }
            assertThat(seen.get(p)).as("partition %d", p).isEqualTo(expected);
        }
    }

    private static void produce(RawClient producer, int... partitions) throws IOException {
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName("sessions");
        for (int partition : partitions) {
            data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                    .setRecords(MemoryRecordsBuilder.builder().append(System.currentTimeMillis(), "k", "v" + partition).build()));
        }
        produce.topicData().add(data);
        ProduceResponseData response = producer.call(ApiMessageType.PRODUCE, (short) 9, produce, new ProduceResponseData());
        assertThat(response.responses().get(0).partitionResponses()).allSatisfy(p -> assertThat(p.errorCode()).isZero());
    }

    private static FetchResponseData fetch(RawClient client, int session, int epoch, int maxWaitMs, Map<Integer, Long> offsets)
            throws IOException {
        return client.call(ApiMessageType.FETCH, FETCH_VERSION, request(session, epoch, maxWaitMs, offsets), new FetchResponseData());
    }

    private static FetchRequestData request(int session, int epoch, int maxWaitMs, Map<Integer, Long> offsets) {
        FetchRequestData request = new FetchRequestData().setSessionId(session).setSessionEpoch(epoch)
                .setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20);
        if (!offsets.isEmpty()) {
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("sessions").setPartitions(new ArrayList<>());
            offsets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> topic.partitions().add(
                    new FetchRequestData.FetchPartition().setPartition(e.getKey()).setFetchOffset(e.getValue()).setPartitionMaxBytes(1 << 20)));
            request.topics().add(topic);
        }
        return request;
    }

    private static List<Integer> partitionsWithRecords(FetchResponseData response) {
        List<Integer> withRecords = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                if (partition.records() != null && partition.records().sizeInBytes() > 0) {
                    withRecords.add(partition.partitionIndex());
                }
            }
        }
        return withRecords;
    }
}
