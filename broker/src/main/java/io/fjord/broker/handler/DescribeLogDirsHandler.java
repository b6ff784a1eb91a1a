package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.ReplicaManager.HostedPartition;
import io.fjord.common.TopicPartition;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DescribeLogDirsRequestData;
import io.fjord.protocol.message.DescribeLogDirsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** DescribeLogDirs (key 35), versions 1-4: each log dir with the size of every partition in it, and (v4) the disk's total and usable bytes. */
public final class DescribeLogDirsHandler implements ApiHandler {

    private final BrokerContext broker;

    public DescribeLogDirsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_LOG_DIRS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeLogDirsRequestData request = (DescribeLogDirsRequestData) message;
        Set<TopicPartition> wanted = null;
        if (request.topics() != null) {
            wanted = new HashSet<>();
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : request.topics()) {
                for (int partition : topic.partitions()) {
                    wanted.add(new TopicPartition(topic.topic(), partition));
                }
            }
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        for (Path dir : broker.logManager().logDirs()) {
            Map<String, DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new LinkedHashMap<>();
            for (HostedPartition partition : broker.replicaManager().allPartitions().values()) {
                TopicPartition tp = partition.topicPartition();
                if ((wanted != null && !wanted.contains(tp)) || !partition.log().dir().startsWith(dir)) {
                    continue;
                }
                topics.computeIfAbsent(tp.topic(), name -> new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(name))
                        .partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                                .setPartitionIndex(tp.partition()).setPartitionSize(partition.log().sizeInBytes())
                                .setOffsetLag(0).setIsFutureKey(false));
            }
            DescribeLogDirsResponseData.DescribeLogDirsResult result = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                    .setLogDir(dir.toString()).setTopics(new java.util.ArrayList<>(topics.values()));
            try {
                FileStore store = Files.getFileStore(dir);
                result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            } catch (IOException e) {
                result.setTotalBytes(-1).setUsableBytes(-1);
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

}
