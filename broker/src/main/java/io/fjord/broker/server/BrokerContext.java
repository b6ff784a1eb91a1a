package io.fjord.broker.server;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.config.Endpoint;
import io.fjord.common.Time;
import io.fjord.metadata.ClusterController;
import io.fjord.storage.LogManager;

import java.util.List;

/**
 * What the API handlers share: the config, the controller, the hosted partitions, the cluster id
 * and the endpoints clients are told about. Built once at start-up by {@link FjordBroker}.
 */
public record BrokerContext(BrokerConfig config, String clusterId, List<Endpoint> advertisedEndpoints,
                            ClusterController controller, ReplicaManager replicaManager, LogManager logManager,
                            ProducerIdManager producerIds, Time time) {

    public int nodeId() {
        return config.nodeId();
    }

    /** The advertised endpoint of the listener a request arrived on (PROTOCOL.md pitfall 18). */
    public Endpoint advertisedFor(Endpoint listener) {
        for (Endpoint endpoint : advertisedEndpoints) {
            if (endpoint.listenerName().equals(listener.listenerName())) {
                return endpoint;
            }
        }
        return advertisedEndpoints.get(0);
    }
}
