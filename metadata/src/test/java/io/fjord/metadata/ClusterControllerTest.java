package io.fjord.metadata;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.ClusterController.CreateTopicRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterControllerTest {

    private final FakeMetadataLog log = new FakeMetadataLog();

    private ClusterController controller() {
        ClusterController controller = new ClusterController(1, log, configs -> {
            if (configs.containsKey("bogus")) {
                throw new ApiException(Errors.INVALID_CONFIG, "Unknown topic config name: bogus");
            }
        }, new SplittableRandom(42));
        controller.load();
        return controller;
    }

    private static CreateTopicRequest topic(String name, int partitions, Map<String, String> configs) {
        return new CreateTopicRequest(name, partitions, (short) -1, Map.of(), configs);
    }

    @Test
    void shouldRebuildTheSameImageFromTheLogAfterRestart() {
        ClusterController first = controller();
        TopicImage orders = first.createTopic(topic("orders", 3, Map.of("retention.ms", "1000")), 1, (short) 1, false);
        first.createPartitions("orders", 5, List.of(), false);
        first.alterTopicConfigs("orders", Map.of("retention.ms", Optional.empty(), "segment.bytes", Optional.of("2048")), false, false);
        first.createTopic(topic("gone", 1, Map.of()), 1, (short) 1, false);
        first.deleteTopic(first.image().topic("gone").orElseThrow().topicId());

        ClusterController second = controller();

        TopicImage reloaded = second.image().topic("orders").orElseThrow();
        assertThat(reloaded.topicId()).isEqualTo(orders.topicId());
        assertThat(reloaded.partitionCount()).isEqualTo(5);
        assertThat(reloaded.configs()).isEqualTo(Map.of("segment.bytes", "2048"));
        assertThat(second.image().topic("gone")).isEmpty();
        assertThat(reloaded.partitions().get(4).leader()).isEqualTo(1);
    }

    @Test
    void shouldRejectDuplicateInvalidAndCollidingTopicsWithKafkaErrorCodes() {
        ClusterController controller = controller();
        controller.createTopic(topic("a.b", 1, Map.of()), 1, (short) 1, false);

        assertThatThrownBy(() -> controller.createTopic(topic("a.b", 1, Map.of()), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThatThrownBy(() -> controller.createTopic(topic("a_b", 1, Map.of()), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThatThrownBy(() -> controller.createTopic(topic("bad name", 1, Map.of()), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThatThrownBy(() -> controller.createTopic(topic("zero", 0, Map.of()), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThatThrownBy(() -> controller.createTopic(new CreateTopicRequest("rf3", 1, (short) 3, Map.of(), Map.of()), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThatThrownBy(() -> controller.createTopic(topic("cfg", 1, Map.of("bogus", "1")), 1, (short) 1, false))
                .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(controller.image().topics()).hasSize(1);
    }

    @Test
    void shouldNotCommitAnythingWhenValidateOnly() {
        ClusterController controller = controller();

        TopicImage preview = controller.createTopic(topic("preview", 4, Map.of()), 1, (short) 1, true);

        assertThat(preview.partitionCount()).isEqualTo(4);
        assertThat(controller.image().topic("preview")).isEmpty();
    }

    @Test
    void shouldNeverHandOutTheSameProducerIdBlockTwiceAcrossRestarts() {
        ClusterController first = controller();
        long firstBlock = first.allocateProducerIdBlock(ClusterController.PRODUCER_ID_BLOCK_SIZE);

        ClusterController second = controller();
        long secondBlock = second.allocateProducerIdBlock(ClusterController.PRODUCER_ID_BLOCK_SIZE);

        assertThat(secondBlock).isEqualTo(firstBlock + ClusterController.PRODUCER_ID_BLOCK_SIZE);
    }
}
