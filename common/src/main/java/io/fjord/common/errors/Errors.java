package io.fjord.common.errors;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka's error codes with Kafka's names and default messages. Clients map the numbers to their
 * own exceptions, so the numbers are the contract; the names follow {@code org.apache.kafka.common.protocol.Errors}.
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR((short) -1, "The server experienced an unexpected error when processing the request."),
    NONE((short) 0, ""),
    OFFSET_OUT_OF_RANGE((short) 1, "The requested offset is not within the range of offsets maintained by the server."),
    CORRUPT_MESSAGE((short) 2, "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."),
    UNKNOWN_TOPIC_OR_PARTITION((short) 3, "This server does not host this topic-partition."),
    INVALID_FETCH_SIZE((short) 4, "The requested fetch size is invalid."),
    LEADER_NOT_AVAILABLE((short) 5, "There is no leader for this topic-partition as we are in the middle of a leadership election."),
    NOT_LEADER_OR_FOLLOWER((short) 6, "For requests intended only for the leader, this error indicates that the broker is not the current leader."),
    REQUEST_TIMED_OUT((short) 7, "The request timed out."),
    BROKER_NOT_AVAILABLE((short) 8, "The broker is not available."),
    REPLICA_NOT_AVAILABLE((short) 9, "The replica is not available for the requested topic-partition."),
    MESSAGE_TOO_LARGE((short) 10, "The request included a message larger than the max message size the server will accept."),
    STALE_CONTROLLER_EPOCH((short) 11, "The controller moved to another broker."),
    OFFSET_METADATA_TOO_LARGE((short) 12, "The metadata field of the offset request was too large."),
    NETWORK_EXCEPTION((short) 13, "The server disconnected before a response was received."),
    COORDINATOR_LOAD_IN_PROGRESS((short) 14, "The coordinator is loading and hence can't process requests."),
    COORDINATOR_NOT_AVAILABLE((short) 15, "The coordinator is not available."),
    NOT_COORDINATOR((short) 16, "This is not the correct coordinator."),
    INVALID_TOPIC_EXCEPTION((short) 17, "The request attempted to perform an operation on an invalid topic."),
    RECORD_LIST_TOO_LARGE((short) 18, "The request included message batch larger than the configured segment size on the server."),
    NOT_ENOUGH_REPLICAS((short) 19, "Messages are rejected since there are fewer in-sync replicas than required."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND((short) 20, "Messages are written to the log, but to fewer in-sync replicas than required."),
    INVALID_REQUIRED_ACKS((short) 21, "Produce request specified an invalid value for required acks."),
    ILLEGAL_GENERATION((short) 22, "Specified group generation id is not valid."),
    INCONSISTENT_GROUP_PROTOCOL((short) 23, "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."),
    INVALID_GROUP_ID((short) 24, "The configured groupId is invalid."),
    UNKNOWN_MEMBER_ID((short) 25, "The coordinator is not aware of this member."),
    INVALID_SESSION_TIMEOUT((short) 26, "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."),
    REBALANCE_IN_PROGRESS((short) 27, "The group is rebalancing, so a rejoin is needed."),
    INVALID_COMMIT_OFFSET_SIZE((short) 28, "The committing offset data size is not valid."),
    TOPIC_AUTHORIZATION_FAILED((short) 29, "Topic authorization failed."),
    GROUP_AUTHORIZATION_FAILED((short) 30, "Group authorization failed."),
    CLUSTER_AUTHORIZATION_FAILED((short) 31, "Cluster authorization failed."),
    INVALID_TIMESTAMP((short) 32, "The timestamp of the message is out of acceptable range."),
    UNSUPPORTED_SASL_MECHANISM((short) 33, "The broker does not support the requested SASL mechanism."),
    ILLEGAL_SASL_STATE((short) 34, "Request is not valid given the current SASL state."),
    UNSUPPORTED_VERSION((short) 35, "The version of API is not supported."),
    TOPIC_ALREADY_EXISTS((short) 36, "Topic with this name already exists."),
    INVALID_PARTITIONS((short) 37, "Number of partitions is below 1."),
    INVALID_REPLICATION_FACTOR((short) 38, "Replication factor is below 1 or larger than the number of available brokers."),
    INVALID_REPLICA_ASSIGNMENT((short) 39, "Replica assignment is invalid."),
    INVALID_CONFIG((short) 40, "Configuration is invalid."),
    NOT_CONTROLLER((short) 41, "This is not the correct controller for this cluster."),
    INVALID_REQUEST((short) 42, "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."),
    UNSUPPORTED_FOR_MESSAGE_FORMAT((short) 43, "The message format version on the broker does not support the request."),
    POLICY_VIOLATION((short) 44, "Request parameters do not satisfy the configured policy."),
    OUT_OF_ORDER_SEQUENCE_NUMBER((short) 45, "The broker received an out of order sequence number."),
    DUPLICATE_SEQUENCE_NUMBER((short) 46, "The broker received a duplicate sequence number."),
    INVALID_PRODUCER_EPOCH((short) 47, "Producer attempted to produce with an old epoch."),
    INVALID_TXN_STATE((short) 48, "The producer attempted a transactional operation in an invalid state."),
    INVALID_PRODUCER_ID_MAPPING((short) 49, "The producer attempted to use a producer id which is not currently assigned to its transactional id."),
    INVALID_TRANSACTION_TIMEOUT((short) 50, "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."),
    CONCURRENT_TRANSACTIONS((short) 51, "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing."),
    TRANSACTION_COORDINATOR_FENCED((short) 52, "Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED((short) 53, "Transactional Id authorization failed."),
    SECURITY_DISABLED((short) 54, "Security features are disabled."),
    OPERATION_NOT_ATTEMPTED((short) 55, "The broker did not attempt to execute this operation."),
    KAFKA_STORAGE_ERROR((short) 56, "Disk error when trying to access log file on the disk."),
    LOG_DIR_NOT_FOUND((short) 57, "The user-specified log directory is not found in the broker config."),
    SASL_AUTHENTICATION_FAILED((short) 58, "SASL Authentication failed."),
    UNKNOWN_PRODUCER_ID((short) 59, "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question."),
    REASSIGNMENT_IN_PROGRESS((short) 60, "A partition reassignment is in progress."),
    DELEGATION_TOKEN_AUTH_DISABLED((short) 61, "Delegation Token feature is not enabled."),
    DELEGATION_TOKEN_NOT_FOUND((short) 62, "Delegation Token is not found on server."),
    DELEGATION_TOKEN_OWNER_MISMATCH((short) 63, "Specified Principal is not valid Owner/Renewer."),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED((short) 64, "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels."),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED((short) 65, "Delegation Token authorization failed."),
    DELEGATION_TOKEN_EXPIRED((short) 66, "Delegation Token is expired."),
    INVALID_PRINCIPAL_TYPE((short) 67, "Supplied principalType is not supported."),
    NON_EMPTY_GROUP((short) 68, "The group is not empty."),
    GROUP_ID_NOT_FOUND((short) 69, "The group id does not exist."),
    FETCH_SESSION_ID_NOT_FOUND((short) 70, "The fetch session ID was not found."),
    INVALID_FETCH_SESSION_EPOCH((short) 71, "The fetch session epoch is invalid."),
    LISTENER_NOT_FOUND((short) 72, "There is no listener on the leader broker that matches the listener on which metadata request was processed."),
    TOPIC_DELETION_DISABLED((short) 73, "Topic deletion is disabled."),
    FENCED_LEADER_EPOCH((short) 74, "The leader epoch in the request is older than the epoch on the broker."),
    UNKNOWN_LEADER_EPOCH((short) 75, "The leader epoch in the request is newer than the epoch on the broker."),
    UNSUPPORTED_COMPRESSION_TYPE((short) 76, "The requesting client does not support the compression type of given partition."),
    STALE_BROKER_EPOCH((short) 77, "Broker epoch has changed."),
    OFFSET_NOT_AVAILABLE((short) 78, "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing."),
    MEMBER_ID_REQUIRED((short) 79, "The group member needs to have a valid member id before actually entering a consumer group."),
    PREFERRED_LEADER_NOT_AVAILABLE((short) 80, "The preferred leader was not available."),
    GROUP_MAX_SIZE_REACHED((short) 81, "The group has reached its maximum size."),
    FENCED_INSTANCE_ID((short) 82, "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."),
    ELIGIBLE_LEADERS_NOT_AVAILABLE((short) 83, "Eligible topic partition leaders are not available."),
    ELECTION_NOT_NEEDED((short) 84, "Leader election not needed for topic partition."),
    NO_REASSIGNMENT_IN_PROGRESS((short) 85, "No partition reassignment is in progress."),
    GROUP_SUBSCRIBED_TO_TOPIC((short) 86, "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."),
    INVALID_RECORD((short) 87, "This record has failed the validation on broker and hence will be rejected."),
    UNSTABLE_OFFSET_COMMIT((short) 88, "There are unstable offsets that need to be cleared."),
    THROTTLING_QUOTA_EXCEEDED((short) 89, "The throttling quota has been exceeded."),
    PRODUCER_FENCED((short) 90, "There is a newer producer with the same transactionalId which fences the current one."),
    RESOURCE_NOT_FOUND((short) 91, "A request illegally referred to a resource that does not exist."),
    DUPLICATE_RESOURCE((short) 92, "A request illegally referred to the same resource twice."),
    UNACCEPTABLE_CREDENTIAL((short) 93, "Requested credential would not meet criteria for acceptability."),
    INCONSISTENT_VOTER_SET((short) 94, "Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters."),
    INVALID_UPDATE_VERSION((short) 95, "The given update version was invalid."),
    FEATURE_UPDATE_FAILED((short) 96, "Unable to update finalized features due to an unexpected server error."),
    PRINCIPAL_DESERIALIZATION_FAILURE((short) 97, "Request principal deserialization failed during forwarding."),
    SNAPSHOT_NOT_FOUND((short) 98, "Requested snapshot was not found."),
    POSITION_OUT_OF_RANGE((short) 99, "Requested position is not greater than or equal to zero, and less than the size of the snapshot."),
    UNKNOWN_TOPIC_ID((short) 100, "This server does not host this topic ID."),
    DUPLICATE_BROKER_REGISTRATION((short) 101, "This broker ID is already in use."),
    BROKER_ID_NOT_REGISTERED((short) 102, "The given broker ID was not registered."),
    INCONSISTENT_TOPIC_ID((short) 103, "The log's topic ID did not match the topic ID in the request."),
    INCONSISTENT_CLUSTER_ID((short) 104, "The clusterId in the request does not match that found on the server."),
    TRANSACTIONAL_ID_NOT_FOUND((short) 105, "The transactionalId could not be found."),
    FETCH_SESSION_TOPIC_ID_ERROR((short) 106, "The fetch session encountered inconsistent topic ID usage."),
    INELIGIBLE_REPLICA((short) 107, "The new ISR contains at least one ineligible replica."),
    NEW_LEADER_ELECTED((short) 108, "The AlterPartition request successfully updated the partition state but the leader has changed."),
    OFFSET_MOVED_TO_TIERED_STORAGE((short) 109, "The requested offset is moved to tiered storage."),
    FENCED_MEMBER_EPOCH((short) 110, "The member epoch is fenced by the group coordinator."),
    UNRELEASED_INSTANCE_ID((short) 111, "The instance ID is still used by another member in the consumer group."),
    UNSUPPORTED_ASSIGNOR((short) 112, "The assignor or its version range is not supported by the consumer group."),
    STALE_MEMBER_EPOCH((short) 113, "The member epoch is stale."),
    MISMATCHED_ENDPOINT_TYPE((short) 114, "The request was sent to an endpoint of the wrong type."),
    UNSUPPORTED_ENDPOINT_TYPE((short) 115, "This endpoint type is not supported yet."),
    UNKNOWN_CONTROLLER_ID((short) 116, "This controller ID is not known."),
    UNKNOWN_SUBSCRIPTION_ID((short) 117, "Client sent a push telemetry request with an invalid or outdated subscription ID."),
    TELEMETRY_TOO_LARGE((short) 118, "Client sent a push telemetry request larger than the maximum size the broker will accept."),
    INVALID_REGISTRATION((short) 119, "The controller has considered the broker registration to be invalid."),
    TRANSACTION_ABORTABLE((short) 120, "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.");

    private static final Map<Short, Errors> BY_CODE = new HashMap<>();

    static {
        for (Errors error : values()) {
            BY_CODE.put(error.code, error);
        }
    }

    private final short code;
    private final String message;

    Errors(short code, String message) {
        this.code = code;
        this.message = message;
    }

    public short code() {
        return code;
    }

    /** Kafka's default message for this error, sent where a response has an ErrorMessage field. */
    public String message() {
        return message;
    }

    /** The error with this code, or {@link #UNKNOWN_SERVER_ERROR} for a code Fjord does not know. */
    public static Errors forCode(short code) {
        return BY_CODE.getOrDefault(code, UNKNOWN_SERVER_ERROR);
    }

    /** An exception carrying this error, with the given detail message. */
    public ApiException exception(String detail) {
        return new ApiException(this, detail);
    }
}
