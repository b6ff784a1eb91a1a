package io.fjord.broker.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerConfigTest {

    @Test
    void shouldUseKafkasDefaultsWithFjordsLoopbackListener() {
        BrokerConfig config = BrokerConfig.parse(Map.of());

        assertThat(config.listeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.retentionMs()).isEqualTo(168L * 3_600_000L);
        assertThat(config.topicConfigDefaults()).containsEntry("segment.bytes", "1073741824")
                .containsEntry("max.message.bytes", "1048588").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void shouldStopWithAMessageNamingTheKeyForABadValue() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("num.partitions", "many")))
                .isInstanceOf(BrokerConfigException.class).hasMessageContaining("num.partitions").hasMessageContaining("many");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("num.partitions", "0")))
                .hasMessageContaining("num.partitions").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://localhost:99999")))
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.message.timestamp.type", "Sometime")))
                .hasMessageContaining("log.message.timestamp.type");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("socket.tcp.congestion.control", "Cubic!")))
                .hasMessageContaining("socket.tcp.congestion.control").hasMessageContaining("Cubic!");
        assertThat(BrokerConfig.parse(Map.of()).find(BrokerConfig.SOCKET_TCP_CONGESTION_CONTROL)).as("the machine's by default").isEmpty();
        assertThat(BrokerConfig.parse(Map.of("socket.tcp.congestion.control", " cubic ")).find(BrokerConfig.SOCKET_TCP_CONGESTION_CONTROL))
                .contains("cubic");
    }

    @Test
    void shouldPreferTheMostPreciseRetentionKeyLikeKafka() {
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "1", "log.retention.minutes", "5")).retentionMs())
                .isEqualTo(300_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "5", "log.retention.ms", "42")).retentionMs())
                .isEqualTo(42L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "-1")).retentionMs()).isEqualTo(-1L);
    }

    @Test
    void shouldAdvertiseTheListenersByDefault() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://127.0.0.1:19092",
                "advertised.listeners", "PLAINTEXT://kafka.example.com:9092"));
        assertThat(config.advertisedListeners()).containsExactly(new Endpoint("PLAINTEXT", "kafka.example.com", 9092));
    }
}
