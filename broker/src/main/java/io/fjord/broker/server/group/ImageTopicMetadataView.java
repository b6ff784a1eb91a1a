package io.fjord.broker.server.group;

import io.fjord.broker.server.BrokerContext;
import io.fjord.common.Uuid;
import io.fjord.coordinator.group.TopicMetadataView;
import io.fjord.metadata.TopicImage;

import java.util.Optional;

/**
 * The group coordinator's view of topics (ids and partition counts for KIP-848 assignments), read
 * from the broker's current metadata image. The image is an immutable snapshot, so this is safe on
 * the coordinator's thread; each call reads the latest image.
 */
public final class ImageTopicMetadataView implements TopicMetadataView {

    private final BrokerContext broker;

    public ImageTopicMetadataView(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return broker.controller().image().topic(name).map(ImageTopicMetadataView::info);
    }

    @Override
    public java.util.Collection<String> allTopicNames() {
        return broker.controller().image().topics().stream().map(io.fjord.metadata.TopicImage::name).toList();
    }

    @Override
    public Optional<TopicInfo> topic(Uuid topicId) {
        return broker.controller().image().topic(topicId).map(ImageTopicMetadataView::info);
    }

    private static TopicInfo info(TopicImage topic) {
        return new TopicInfo(topic.topicId(), topic.name(), topic.partitionCount());
    }
}
