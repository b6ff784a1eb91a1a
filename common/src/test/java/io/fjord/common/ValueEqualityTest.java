package io.fjord.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Uuid} and {@link TopicPartition} write out the equals and hashCode a record would generate
 * (to spare start-up their method-handle bootstrap); these hold them to the record contract.
 */
class ValueEqualityTest {

    @Test
    void uuidsAreEqualExactlyWhenBothHalvesAre() {
        Uuid id = new Uuid(42L, -7L);
        assertThat(id).isEqualTo(new Uuid(42L, -7L)).hasSameHashCodeAs(new Uuid(42L, -7L));
        assertThat(id).isNotEqualTo(new Uuid(42L, 7L)).isNotEqualTo(new Uuid(-42L, -7L)).isNotEqualTo(null).isNotEqualTo("42");
        assertThat(Uuid.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void randomUuidsAreNeverReservedAndKeyMaps() {
        SplittableRandom random = new SplittableRandom(5);
        Map<Uuid, Integer> seen = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Uuid id = Uuid.random(random);
            assertThat(id).isNotEqualTo(Uuid.ZERO).isNotEqualTo(Uuid.METADATA_TOPIC_ID);
            assertThat(id.toString()).doesNotStartWith("-");
            seen.put(id, i);
            assertThat(seen.get(new Uuid(id.mostSignificantBits(), id.leastSignificantBits()))).isEqualTo(i);
        }
    }

    @Test
    void topicPartitionsAreEqualExactlyWhenTopicAndIndexAre() {
        TopicPartition tp = new TopicPartition("orders", 3);
        assertThat(tp).isEqualTo(new TopicPartition(new String("orders"), 3)).hasSameHashCodeAs(new TopicPartition("orders", 3));
        assertThat(tp).isNotEqualTo(new TopicPartition("orders", 4)).isNotEqualTo(new TopicPartition("order", 3)).isNotEqualTo(null);
        Map<TopicPartition, String> byPartition = new HashMap<>();
        byPartition.put(tp, "x");
        assertThat(byPartition).containsEntry(new TopicPartition("orders", 3), "x").doesNotContainKey(new TopicPartition("orders", 30));
        assertThat(tp).hasToString("orders-3");
    }
}
