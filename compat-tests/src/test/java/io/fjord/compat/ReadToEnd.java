package io.fjord.compat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads one partition from its beginning to the end offset it had when the read began (assign, no group). */
final class ReadToEnd {

    private ReadToEnd() {
    }

    static <K, V> List<ConsumerRecord<K, V>> read(KafkaConsumer<K, V> consumer, TopicPartition tp, Duration timeout) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
