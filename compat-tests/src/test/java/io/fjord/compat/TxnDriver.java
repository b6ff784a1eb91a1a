package io.fjord.compat;

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
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A transactional client run in a child JVM against another kafka-clients version (3.9): commits
 * 100 records, aborts 50, checks that read_committed sees exactly the committed ones and
 * read_uncommitted all 150, and that a zombie with the same transactional.id is fenced. Prints
 * {@code TXN-OK <version>} and exits 0, or exits 1 with the reason.
 */
public final class TxnDriver {

    private TxnDriver() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String version = org.apache.kafka.common.utils.AppInfoParser.getVersion();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        KafkaProducer<String, String> zombie = producer(bootstrap);
        zombie.initTransactions();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
        boolean fenced;
        try {
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie")).get();
            zombie.commitTransaction();
            fenced = false;
        } catch (Exception e) {
            fenced = e instanceof ProducerFencedException || e.getCause() instanceof ProducerFencedException
                    || e.getClass().getSimpleName().contains("Fenced") || String.valueOf(e.getMessage()).contains("epoch");
        } finally {
            zombie.close(Duration.ofSeconds(5));
        }
        List<String> committed = read(bootstrap, topic, "read_committed");
        List<String> uncommitted = read(bootstrap, topic, "read_uncommitted");
        boolean ok = fenced && committed.size() == 100 && committed.stream().allMatch(v -> v.startsWith("committed-"))
                && uncommitted.size() == 150;
        if (!ok) {
            System.out.println("TXN-FAILED " + version + ": fenced=" + fenced + " committed=" + committed.size()
                    + " uncommitted=" + uncommitted.size());
            System.exit(1);
        }
        System.out.println("TXN-OK " + version);
        System.exit(0);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-driver");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static List<String> read(String bootstrap, String topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
