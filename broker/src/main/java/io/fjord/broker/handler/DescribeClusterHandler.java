package io.fjord.broker.handler;

import io.fjord.broker.config.Endpoint;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DescribeClusterRequestData;
import io.fjord.protocol.message.DescribeClusterResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** DescribeCluster (key 60), versions 0-2: this node as the only broker and the controller (KIP-700, KIP-919). */
public final class DescribeClusterHandler implements ApiHandler {

    private static final byte ENDPOINT_TYPE_BROKER = 1;
    /** Cluster operations with no authorizer: ALTER(7), DESCRIBE(8), CLUSTER_ACTION(9), DESCRIBE_CONFIGS(10), ALTER_CONFIGS(11), IDEMPOTENT_WRITE(12), CREATE(4... ). */
    private static final int ALL_CLUSTER_OPERATIONS = (1 << 4) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12);

    private final BrokerContext broker;

    public DescribeClusterHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_CLUSTER;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeClusterRequestData request = (DescribeClusterRequestData) message;
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(broker.clusterId()).setControllerId(broker.nodeId()).setEndpointType(ENDPOINT_TYPE_BROKER)
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations() ? ALL_CLUSTER_OPERATIONS : Integer.MIN_VALUE);
        if (context.apiVersion() >= 1 && request.endpointType() != ENDPOINT_TYPE_BROKER) {
            response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type " + request.endpointType());
            return CompletableFuture.completedFuture(response);
        }
        Endpoint advertised = broker.advertisedFor(context.listener());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(broker.nodeId()).setHost(advertised.host()).setPort(advertised.port()).setIsFenced(false));
        return CompletableFuture.completedFuture(response);
    }
}
