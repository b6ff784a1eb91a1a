package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.CreatePartitionsRequestData;
import io.fjord.protocol.message.CreatePartitionsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** CreatePartitions (key 37), versions 0-3: grows topics; shrinking or a wrong assignment count is INVALID_PARTITIONS / INVALID_REPLICA_ASSIGNMENT. */
public final class CreatePartitionsHandler implements ApiHandler {

    private final BrokerContext broker;

    public CreatePartitionsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.CREATE_PARTITIONS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) message;
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Set<String> seen = new HashSet<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (!seen.add(topic.name())) {
                    throw new ApiException(Errors.INVALID_REQUEST, "Duplicate topic in request.");
                }
                List<List<Integer>> assignments = new ArrayList<>();
                if (topic.assignments() != null) {
                    for (CreatePartitionsRequestData.CreatePartitionsAssignment assignment : topic.assignments()) {
                        assignments.add(assignment.brokerIds());
                    }
                }
                broker.controller().createPartitions(topic.name(), topic.count(), assignments, request.validateOnly());
            } catch (ApiException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }
}
