package io.fjord.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.record.TimestampType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void shouldUseKafkaDefaults() {
        LogConfig config = LogConfig.defaults();
        assertThat(config.segmentBytes()).isEqualTo(1073741824);
        assertThat(config.segmentMs()).isEqualTo(604800000L);
        assertThat(config.retentionMs()).isEqualTo(604800000L);
        assertThat(config.retentionBytes()).isEqualTo(-1L);
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.segmentIndexBytes()).isEqualTo(10485760);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.messageTimestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.messageTimestampBeforeMaxMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.messageTimestampAfterMaxMs()).isEqualTo(3600000L);
        assertThat(config.cleanupPolicy()).containsExactly("delete");
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60000L);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.compressionType()).isEqualTo("producer");
        assertThat(config.uncleanLeaderElectionEnable()).isFalse();
        assertThat(config.segmentJitterMs()).isZero();
    }

    @Test
    void shouldDescribeEveryTopicConfigWithItsDefault() {
        assertThat(LogConfig.topicConfigDefs()).extracting(ConfigDef::name).contains(
            "cleanup.policy", "compression.type", "compression.gzip.level", "compression.lz4.level", "compression.zstd.level",
            "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms", "index.interval.bytes",
            "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
            "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.type",
            "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
            "remote.storage.enable", "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes",
            "segment.jitter.ms", "segment.ms", "unclean.leader.election.enable")
            .doesNotContain("message.downconversion.enable", "internal.segment.bytes");
        assertThat(LogConfig.defaults().asStrings()).containsEntry("retention.ms", "604800000").containsEntry("cleanup.policy", "delete")
            .hasSize(LogConfig.topicConfigDefs().size());
    }

    @Test
    void shouldApplyOverrides() {
        LogConfig config = LogConfig.fromOverrides(Map.of("retention.ms", "-1", "cleanup.policy", "compact,delete",
            "message.timestamp.type", "LogAppendTime", "segment.bytes", "1048576"), LogConfig.defaults());
        assertThat(config.retentionMs()).isEqualTo(-1L);
        assertThat(config.compact()).isTrue();
        assertThat(config.delete()).isTrue();
        assertThat(config.messageTimestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(config.segmentBytes()).isEqualTo(1048576);
        assertThat(config.asStrings()).containsEntry("retention.ms", "-1");
        assertThat(LogConfig.fromOverrides(Map.of(), config)).isEqualTo(config);
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertInvalid("segment.bytes", "1000");
        assertInvalid("retention.ms", "-2");
        assertInvalid("retention.ms", "soon");
        assertInvalid("cleanup.policy", "archive");
        assertInvalid("message.timestamp.type", "BrokerTime");
        assertInvalid("compression.type", "brotli");
        assertInvalid("compression.gzip.level", "10");
        assertInvalid("min.insync.replicas", "0");
        assertInvalid("preallocate", "maybe");
        assertInvalid("no.such.config", "1");
        assertThat(LogConfig.fromOverrides(Map.of("compression.gzip.level", "-1"), LogConfig.defaults()).asStrings())
            .containsEntry("compression.gzip.level", "-1");
    }

    private static void assertInvalid(String key, String value) {
        assertThatThrownBy(() -> LogConfig.fromOverrides(Map.of(key, value), LogConfig.defaults()))
            .isInstanceOf(ConfigException.class).hasMessageContaining(key)
            .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }
}
