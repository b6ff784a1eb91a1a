package io.fjord.compat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * KIP-848 server-side regex subscriptions: a 4.x consumer with {@code group.protocol=consumer}
 * subscribes with a {@link SubscriptionPattern}; the broker resolves it against its topics, and a
 * matching topic created later is picked up without the client doing anything.
 */
class ConsumerGroupRegexIT {

    @Test
    void shouldConsumeEveryTopicTheRegexMatchesIncludingOnesCreatedLater() throws Exception {
        try (TestBroker broker = TestBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3", "group.consumer.heartbeat.interval.ms", "500"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("regex-a", 2, (short) 1), new NewTopic("regex-b", 1, (short) 1),
                    new NewTopic("other", 1, (short) 1))).all().get();
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "regex-group");
            consumerProps.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            Set<String> seen = new HashSet<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                for (String topic : List.of("regex-a", "regex-b", "other")) {
                    producer.send(new ProducerRecord<>(topic, topic + "-before")).get();
                }
                consumer.subscribe(new SubscriptionPattern("regex-.*"));
                await("both matching topics consumed (" + broker + ")").atMost(Duration.ofSeconds(30)).until(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        seen.add(record.value());
                    }
                    return seen.containsAll(Set.of("regex-a-before", "regex-b-before"));
                });

                admin.createTopics(List.of(new NewTopic("regex-c", 1, (short) 1))).all().get();
                producer.send(new ProducerRecord<>("regex-c", "regex-c-later")).get();
                await("a matching topic created later is consumed too").atMost(Duration.ofSeconds(30)).until(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        seen.add(record.value());
                    }
                    return seen.contains("regex-c-later");
                });
                org.assertj.core.api.Assertions.assertThat(seen).doesNotContain("other-before");
            }
        }
    }
}
