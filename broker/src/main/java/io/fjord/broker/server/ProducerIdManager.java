package io.fjord.broker.server;

import io.fjord.metadata.ClusterController;

/**
 * Hands out producer ids for InitProducerId. Ids come in blocks reserved through the controller's
 * metadata log (like KRaft's ProducerIdsRecord), so an id is never reused across restarts; within
 * a block they are handed out from memory. Thread-safe.
 */
public final class ProducerIdManager {

    private final ClusterController controller;
    private long next;
    private long blockEnd;

    public ProducerIdManager(ClusterController controller) {
        this.controller = controller;
    }

    public synchronized long generateProducerId() {
        if (next >= blockEnd) {
            long blockStart = controller.allocateProducerIdBlock(ClusterController.PRODUCER_ID_BLOCK_SIZE);
            next = blockStart;
            blockEnd = blockStart + ClusterController.PRODUCER_ID_BLOCK_SIZE;
        }
        return next++;
    }
}
