package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaToolsTest {

    @Test
    void shouldWriteNewlineDelimitedValuesOfExactlyTheRecordSizeInTheToolsAlphabet() {
        byte[] bytes = KafkaTools.payloadBytes(100, 50);

        List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.US_ASCII).split("\n"));
        assertThat(bytes).hasSize(101 * 50);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        assertThat(lines).hasSize(50).allSatisfy(line -> assertThat(line).hasSize(100).matches("[A-Z]+"));
        Set<String> distinct = new HashSet<>(lines);
        assertThat(distinct).hasSize(50);
    }

    @Test
    void shouldWriteTheSameValuesEveryRunForOneSize() {
        assertThat(KafkaTools.payloadBytes(1024, 8)).isEqualTo(KafkaTools.payloadBytes(1024, 8));
        assertThat(KafkaTools.payloadBytes(1024, 8)).isNotEqualTo(Arrays.copyOf(KafkaTools.payloadBytes(1000, 8), 1025 * 8));
    }

    @Test
    void shouldRefuseAnEmptyValue() {
        assertThatThrownBy(() -> KafkaTools.payloadBytes(0, 1)).hasMessageContaining("at least 1 byte");
    }
}
