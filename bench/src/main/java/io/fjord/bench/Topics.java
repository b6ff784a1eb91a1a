package io.fjord.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates the benchmark topics through Apache kafka-clients' Admin (replication factor 1). Driver thread. */
final class Topics {

    /** Both from the moment CreateTopics was sent: when the admin calls were answered, and when the last partition had acknowledged a record. */
    record Created(double answeredMs, double allWritableMs) {
    }

    /**
     * Kafka's KRaft controller takes at most 10,000 metadata records per request
     * ({@code QuorumController.MAX_RECORDS_PER_USER_OP}): a CreateTopics of 10,000 partitions (one
     * topic record and 10,000 partition records) fails with POLICY_VIOLATION "Unable to perform
     * excessively large batch operation". A bigger topic is therefore created as a Kafka user must
     * create it, on both brokers alike: CreateTopics with this many partitions, then CreatePartitions
     * adding at most this many per call.
     */
    static final int PARTITIONS_PER_ADMIN_CALL = 5_000;

    /** The warm-up topic that opens the clients' connections before the clock starts. */
    private static final String WARMUP_TOPIC = "bench-warmup";
    private static final int PROBE_RECORD_BYTES = 100;

    private Topics() {
    }

    /** Creates every topic of {@code partitionsByTopic} (in steps above {@link #PARTITIONS_PER_ADMIN_CALL}); returns the milliseconds the calls took. */
    static double create(String bootstrap, Map<String, Integer> partitionsByTopic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminProps(bootstrap, timeoutMs))) {
            long startNs = System.nanoTime();
            createInSteps(admin, partitionsByTopic, timeoutMs);
            return (System.nanoTime() - startNs) / 1e6;
        }
    }

    /**
     * Creates {@code topic} (in steps above {@link #PARTITIONS_PER_ADMIN_CALL} partitions) and then
     * sends one record to each of its partitions (acks=1), timing both from the moment CreateTopics
     * is sent. A broker may answer CreateTopics before its
     * partitions' logs exist (Kafka creates them asynchronously when the metadata record reaches
     * the broker), so "every partition acknowledged a record" is when the topic is really usable.
     * Admin and producer are connected first, through a one-partition warm-up topic, so that no
     * client start-up is inside either figure.
     */
    static Created createAndAwaitWritable(String bootstrap, String topic, int partitions, long timeoutMs) throws Exception {
        try (Admin admin = Admin.create(adminProps(bootstrap, timeoutMs));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(probeProducerProps(bootstrap, timeoutMs))) {
            createIfAbsent(admin, WARMUP_TOPIC, timeoutMs);
            producer.send(new ProducerRecord<>(WARMUP_TOPIC, 0, null, new byte[PROBE_RECORD_BYTES])).get(timeoutMs, TimeUnit.MILLISECONDS);

            long startNs = System.nanoTime();
            long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            createInSteps(admin, Map.of(topic, partitions), timeoutMs);
            double answeredMs = (System.nanoTime() - startNs) / 1e6;
            List<Future<RecordMetadata>> acks = new ArrayList<>(partitions);
            byte[] value = new byte[PROBE_RECORD_BYTES];
            for (int p = 0; p < partitions; p++) {
                acks.add(producer.send(new ProducerRecord<>(topic, p, null, value)));
            }
            for (int p = 0; p < partitions; p++) {
                long remainingNs = Math.max(1, deadlineNs - System.nanoTime());
                try {
                    acks.get(p).get(remainingNs, TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("partition " + topic + "-" + p + " did not accept a record: " + e.getCause(), e);
                }
            }
            return new Created(answeredMs, (System.nanoTime() - startNs) / 1e6);
        }
    }

    /** What {@link #createAndAwaitWritable} sends for a topic of {@code partitions}, for the report. */
    static String describeCreation(int partitions) {
        if (partitions <= PARTITIONS_PER_ADMIN_CALL) {
            return "CreateTopics";
        }
        return String.format(Locale.ROOT, "CreateTopics (%,d) + CreatePartitions (to %,d)", PARTITIONS_PER_ADMIN_CALL, partitions);
    }

    /** One CreateTopics for all topics, then CreatePartitions for those above {@link #PARTITIONS_PER_ADMIN_CALL}. */
    private static void createInSteps(Admin admin, Map<String, Integer> partitionsByTopic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) ->
            topics.add(new NewTopic(name, Math.min(partitions, PARTITIONS_PER_ADMIN_CALL), (short) 1)));
        admin.createTopics(topics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        for (Map.Entry<String, Integer> topic : partitionsByTopic.entrySet()) {
            for (int created = PARTITIONS_PER_ADMIN_CALL; created < topic.getValue(); created += PARTITIONS_PER_ADMIN_CALL) {
                int increaseTo = Math.min(topic.getValue(), created + PARTITIONS_PER_ADMIN_CALL);
                admin.createPartitions(Map.of(topic.getKey(), NewPartitions.increaseTo(increaseTo))).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void createIfAbsent(Admin admin, String topic, long timeoutMs) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static Properties adminProps(String bootstrap, long timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        return props;
    }

    private static Properties probeProducerProps(String bootstrap, long timeoutMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        // The client's default retry backoff (100 ms growing to 1 s) for partitions whose log does not
        // exist yet: a tighter loop would load the broker while it creates them. The price is a figure
        // that may run up to about a second late.
        String timeout = Long.toString(Math.min(Integer.MAX_VALUE, timeoutMs));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        return props;
    }
}
