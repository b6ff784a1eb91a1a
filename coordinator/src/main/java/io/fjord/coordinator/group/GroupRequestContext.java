package io.fjord.coordinator.group;

/**
 * What the coordinator needs to know about the request beyond its body: who sent it (shown by
 * DescribeGroups) and the API version (JoinGroup v4+ requires a known member id; OffsetCommit v9+
 * answers GROUP_ID_NOT_FOUND where older versions answer ILLEGAL_GENERATION).
 *
 * @param clientId   the request header's client id ("" when absent)
 * @param clientHost the peer address as Kafka renders it, e.g. {@code /127.0.0.1}
 * @param apiVersion the request's API version
 */
public record GroupRequestContext(String clientId, String clientHost, short apiVersion) {

    public GroupRequestContext {
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }
}
