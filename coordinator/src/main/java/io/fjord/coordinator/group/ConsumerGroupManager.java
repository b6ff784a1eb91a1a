package io.fjord.coordinator.group;

import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The KIP-848 consumer group protocol of one shard (Kafka's {@code GroupMetadataManager}, consumer
 * part): ConsumerGroupHeartbeat (join with epoch 0, subscription updates, leave with epoch -1/-2),
 * the target assignment from a server-side assignor, incremental reconciliation of each member
 * towards its target ({@link ConsumerGroupReconciler}), and the session and rebalance (revocation)
 * timeouts that fence members.
 *
 * <p>Every change is computed on a copy of the group, written to the log as one
 * {@link GroupRecord.ConsumerGroupSnapshot} and only then put in place, so a failed write leaves the
 * group as it was. Called by {@link GroupCoordinatorShard} on the coordinator thread only.
 */
final class ConsumerGroupManager {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupManager.class);
    static final int LEAVE_GROUP_MEMBER_EPOCH = -1;
    static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

    private record MemberKey(String groupId, String memberId) {
    }

    private record Deadline(long deadlineMs, MemberKey key) {
    }

    /** A member's running timers; {@code revocationDeadlineMs} is {@link Long#MAX_VALUE} unless it has partitions to revoke. */
    private record Timers(long sessionDeadlineMs, long revocationDeadlineMs) {
        long next() {
            return Math.min(sessionDeadlineMs, revocationDeadlineMs);
        }
    }

    private final GroupShardState shard;
    private final GroupCoordinatorConfig config;
    private final RandomGenerator random;
    private final Map<MemberKey, Timers> timers = new HashMap<>();
    /** At most one entry per member (see {@link #arm}); a due entry whose member's deadline moved is re-queued. */
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadlineMs(), b.deadlineMs()));
    private final Set<MemberKey> queued = new HashSet<>();

    ConsumerGroupManager(GroupShardState shard, GroupCoordinatorConfig config, RandomGenerator random) {
        this.shard = shard;
        this.config = config;
        this.random = random;
    }

    ConsumerGroupHeartbeatResponseData handleConsumerGroupHeartbeatRequest(GroupRequestContext context, ConsumerGroupHeartbeatRequestData request,
                                                                           TopicMetadataView topics, long nowMs) {
        Optional<ApiException> invalid = validate(context, request);
        if (invalid.isPresent()) {
            return error(invalid.get().error(), invalid.get().getMessage());
        }
        ClassicGroup classic = shard.group(request.groupId());
        if (classic != null && !classic.isInState(GroupState.EMPTY) && !classic.isInState(GroupState.DEAD)) {
            return error(Errors.GROUP_ID_NOT_FOUND, "Group " + request.groupId() + " is not a consumer group.");
        }
        try {
            if (request.memberEpoch() == LEAVE_GROUP_MEMBER_EPOCH || request.memberEpoch() == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                return leave(request, nowMs);
            }
            return heartbeat(context, request, topics, nowMs);
        } catch (ApiException e) {
            return error(e.error(), e.getMessage());
        }
    }

    private Optional<ApiException> validate(GroupRequestContext context, ConsumerGroupHeartbeatRequestData request) {
        if (!ClassicGroupManager.isValidGroupId(request.groupId())) {
            return Optional.of(new ApiException(Errors.INVALID_GROUP_ID, "GroupId can't be empty."));
        }
        if (request.memberEpoch() < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return Optional.of(new ApiException(Errors.INVALID_REQUEST, "MemberEpoch is invalid."));
        }
        if (context.apiVersion() >= 1 && (request.memberId() == null || request.memberId().isEmpty())) {
            // KIP-1082: from v1 the client generates its member id.
            return Optional.of(new ApiException(Errors.INVALID_REQUEST, "MemberId can't be empty."));
        }
        if (request.memberEpoch() > 0 && (request.memberId() == null || request.memberId().isEmpty())) {
            return Optional.of(new ApiException(Errors.UNKNOWN_MEMBER_ID, "MemberId can't be empty."));
        }
        if (request.memberEpoch() == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                return Optional.of(new ApiException(Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request."));
            }
            if (request.topicPartitions() != null && !request.topicPartitions().isEmpty()) {
                return Optional.of(new ApiException(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining."));
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                return Optional.of(new ApiException(Errors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request."));
            }
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            // KIP-848 v1 regexes are RE2/J; java.util.regex accepts the same everyday syntax. A bad one is refused, never stored.
            try {
                java.util.regex.Pattern.compile(request.subscribedTopicRegex());
            } catch (java.util.regex.PatternSyntaxException e) {
                return Optional.of(new ApiException(Errors.INVALID_REQUEST, "SubscribedTopicRegex " + request.subscribedTopicRegex()
                        + " is not a valid regular expression: " + e.getDescription()));
            }
        }
        if (request.serverAssignor() != null && ConsumerGroupAssignor.byName(request.serverAssignor()).isEmpty()) {
            return Optional.of(new ApiException(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + request.serverAssignor() + " is not supported. "
                    + "Supported assignors: " + UniformAssignor.NAME + ", " + RangeAssignor.NAME + "."));
        }
        return Optional.empty();
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(GroupRequestContext context, ConsumerGroupHeartbeatRequestData request,
                                                         TopicMetadataView topics, long nowMs) {
        ConsumerGroup existing = shard.consumerGroup(request.groupId());
        if (existing == null && request.memberEpoch() != 0) {
            throw new ApiException(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no member " + request.memberId() + ".");
        }
        ConsumerGroup group = existing == null ? new ConsumerGroup(request.groupId()) : existing.copy();
        String memberId = request.memberId() == null || request.memberId().isEmpty() ? Uuid.random(random).toString() : request.memberId();
        Optional<MemberAssignment> owned = Optional.ofNullable(request.topicPartitions()).map(ConsumerGroupManager::toAssignment);

        ConsumerGroupMember before;
        boolean bumpEpoch = false;
        if (request.memberEpoch() == 0) {
            // A (re-)join: a member that lost its state starts afresh, so whatever the old incarnation held is released.
            if (group.member(memberId).isEmpty() && group.members().size() >= config.groupMaxSize()) {
                throw new ApiException(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum capacity of "
                        + config.groupMaxSize() + " members.");
            }
            before = ConsumerGroupMember.joining(memberId, subscription(context, request, Optional.empty()));
            group.removeMember(memberId);
            bumpEpoch = true;
        } else {
            ConsumerGroupMember member = group.member(memberId).orElseThrow(() -> new ApiException(Errors.UNKNOWN_MEMBER_ID,
                    "Member " + memberId + " is not a member of group " + request.groupId() + "."));
            checkMemberEpoch(member, request.memberEpoch(), owned);
            before = member;
        }
        ConsumerGroupMember.Subscription subscription = subscription(context, request, Optional.of(before.subscription()));
        bumpEpoch |= !subscription.topicNames().equals(before.subscription().topicNames())
                || !subscription.topicRegex().equals(before.subscription().topicRegex())
                || !subscription.serverAssignor().equals(before.subscription().serverAssignor());
        ConsumerGroupMember updated = before.withSubscription(subscription);
        group.putMember(updated);

        Map<String, TopicMetadataView.TopicInfo> resolved = resolveSubscribedTopics(group, topics);
        if (!resolved.equals(group.subscribedTopics())) {
            group.setSubscribedTopics(resolved);
            bumpEpoch = true;
        }
        if (bumpEpoch) {
            group.bumpGroupEpoch();
        }
        if (group.groupEpoch() > group.assignmentEpoch()) {
            computeTarget(group);
        }
        ConsumerGroupMember reconciled = ConsumerGroupReconciler.reconcile(updated, group.assignmentEpoch(), group.targetOf(memberId),
                owned, ownersExcept(group, memberId));
        group.putMember(reconciled);

        boolean changed = existing == null || bumpEpoch || !reconciled.equals(existing.member(memberId).orElse(null));
        if (changed) {
            write(group, nowMs);
        }
        arm(group.groupId(), before, reconciled, nowMs);

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData().setMemberId(memberId)
                .setMemberEpoch(reconciled.memberEpoch()).setHeartbeatIntervalMs(config.consumerGroupHeartbeatIntervalMs());
        boolean sendAssignment = request.memberEpoch() == 0 || reconciled.memberEpoch() != before.memberEpoch()
                || !reconciled.assigned().equals(before.assigned()) || owned.map(o -> !o.equals(reconciled.assigned())).orElse(false);
        if (sendAssignment) {
            response.setAssignment(toResponseAssignment(reconciled.assigned()));
        }
        return response;
    }

    /**
     * Kafka's epoch check: a newer epoch than the member's is fenced; an older one is accepted only if
     * it is the previous epoch and the member owns nothing it was not given (the response carrying
     * the bump was lost).
     */
    private static void checkMemberEpoch(ConsumerGroupMember member, int receivedEpoch, Optional<MemberAssignment> owned) {
        if (receivedEpoch > member.memberEpoch()) {
            throw new ApiException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a greater member epoch (" + receivedEpoch
                    + ") than the one known by the group coordinator (" + member.memberEpoch() + ").");
        }
        if (receivedEpoch < member.memberEpoch()) {
            boolean lostBump = receivedEpoch == member.previousMemberEpoch() && owned.map(o -> o.isSubsetOf(member.assigned())).orElse(false);
            if (!lostBump) {
                throw new ApiException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller member epoch (" + receivedEpoch
                        + ") than the one known by the group coordinator (" + member.memberEpoch() + ").");
            }
        }
    }

    private static ConsumerGroupMember.Subscription subscription(GroupRequestContext context, ConsumerGroupHeartbeatRequestData request,
                                                                 Optional<ConsumerGroupMember.Subscription> previous) {
        // Fields left null (or -1) in a heartbeat mean "unchanged" (KIP-848).
        return new ConsumerGroupMember.Subscription(
                request.instanceId() != null ? Optional.of(request.instanceId()) : previous.flatMap(ConsumerGroupMember.Subscription::instanceId),
                request.rackId() != null ? Optional.of(request.rackId()) : previous.flatMap(ConsumerGroupMember.Subscription::rackId),
                context.clientId(), context.clientHost(),
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : previous.map(ConsumerGroupMember.Subscription::rebalanceTimeoutMs).orElse(0),
                request.subscribedTopicNames() != null ? request.subscribedTopicNames()
                        : previous.map(ConsumerGroupMember.Subscription::topicNames).orElse(List.of()),
                request.serverAssignor() != null ? Optional.of(request.serverAssignor()) : previous.flatMap(ConsumerGroupMember.Subscription::serverAssignor),
                request.subscribedTopicRegex() != null
                        ? Optional.of(request.subscribedTopicRegex()).filter(regex -> !regex.isEmpty())
                        : previous.flatMap(ConsumerGroupMember.Subscription::topicRegex));
    }

    private static Map<String, TopicMetadataView.TopicInfo> resolveSubscribedTopics(ConsumerGroup group, TopicMetadataView topics) {
        Map<String, TopicMetadataView.TopicInfo> resolved = new HashMap<>();
        java.util.Collection<String> allNames = null;
        for (ConsumerGroupMember member : group.members().values()) {
            if (member.subscription().topicRegex().isPresent() && allNames == null) {
                allNames = topics.allTopicNames();
            }
            for (String name : member.subscription().subscribedAmong(allNames == null ? List.of() : allNames)) {
                if (!resolved.containsKey(name)) {
                    topics.topic(name).ifPresent(topic -> resolved.put(name, topic));
                }
            }
        }
        return resolved;
    }

    /** Runs the group's assignor over the current members and subscribed topics; the target gets the group epoch. */
    private static void computeTarget(ConsumerGroup group) {
        SortedMap<String, Set<Uuid>> subscriptions = new TreeMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            Set<Uuid> ids = new HashSet<>();
            for (String name : member.subscription().subscribedAmong(group.subscribedTopics().keySet())) {
                TopicMetadataView.TopicInfo topic = group.subscribedTopics().get(name);
                if (topic != null) {
                    ids.add(topic.topicId());
                }
            }
            subscriptions.put(member.memberId(), ids);
        }
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        group.subscribedTopics().values().forEach(topic -> partitionCounts.put(topic.topicId(), topic.partitionCount()));
        ConsumerGroupAssignor assignor = ConsumerGroupAssignor.byName(assignorName(group)).orElseThrow();
        group.setTarget(group.groupEpoch(), assignor.assign(subscriptions, partitionCounts, new HashMap<>(group.targetAssignment())));
    }

    /** Kafka's choice: the assignor most members ask for (ties: by name), else the default. */
    static String assignorName(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            member.subscription().serverAssignor().ifPresent(name -> votes.merge(name, 1, Integer::sum));
        }
        String best = ConsumerGroupAssignor.DEFAULT_NAME;
        int bestVotes = 0;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > bestVotes) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }

    /** Who holds each partition (assigned or pending revocation), leaving out {@code memberId}. */
    private static Map<Uuid, Map<Integer, String>> ownersExcept(ConsumerGroup group, String memberId) {
        Map<Uuid, Map<Integer, String>> owners = new HashMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            if (!member.memberId().equals(memberId)) {
                for (Map.Entry<Uuid, Integer> tp : member.held().entries()) {
                    owners.computeIfAbsent(tp.getKey(), id -> new HashMap<>()).put(tp.getValue(), member.memberId());
                }
            }
        }
        return owners;
    }

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData request, long nowMs) {
        ConsumerGroup existing = shard.consumerGroup(request.groupId());
        if (existing == null || existing.member(request.memberId()).isEmpty()) {
            throw new ApiException(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId() + " is not a member of group " + request.groupId() + ".");
        }
        // A static member's temporary leave (-2) is treated as a leave: Fjord does not keep static members' assignments (not yet).
        removeMember(existing, request.memberId(), nowMs, "left the group");
        return new ConsumerGroupHeartbeatResponseData().setMemberId(request.memberId()).setMemberEpoch(request.memberEpoch())
                .setHeartbeatIntervalMs(0);
    }

    /** Removes a member (leave, session timeout, revocation timeout) and bumps the group epoch; its partitions become free. */
    private void removeMember(ConsumerGroup existing, String memberId, long nowMs, String why) {
        ConsumerGroup group = existing.copy();
        group.removeMember(memberId);
        group.bumpGroupEpoch();
        write(group, nowMs);
        timers.remove(new MemberKey(group.groupId(), memberId));
        LOG.info("[group {}] member {} {}; group epoch {}", group.groupId(), memberId, why, group.groupEpoch());
    }

    private void write(ConsumerGroup group, long nowMs) {
        try {
            shard.append(List.of(snapshot(group)), nowMs);
        } catch (ApiException e) {
            throw new ApiException(GroupShardState.groupMetadataAppendError(e.error()), "could not store group " + group.groupId() + ": " + e.getMessage());
        }
        shard.putConsumerGroup(group);
    }

    static GroupRecord.ConsumerGroupSnapshot snapshot(ConsumerGroup group) {
        List<GroupRecord.ConsumerMemberValue> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members().values()) {
            members.add(new GroupRecord.ConsumerMemberValue(member, group.targetOf(member.memberId())));
        }
        return new GroupRecord.ConsumerGroupSnapshot(group.groupId(),
                Optional.of(new GroupRecord.ConsumerGroupValue(group.groupEpoch(), group.assignmentEpoch(), members)));
    }

    /** Rebuilds a group from its snapshot during load. */
    static ConsumerGroup restore(String groupId, GroupRecord.ConsumerGroupValue value) {
        ConsumerGroup group = new ConsumerGroup(groupId);
        Map<String, MemberAssignment> target = new HashMap<>();
        for (GroupRecord.ConsumerMemberValue member : value.members()) {
            group.putMember(member.member());
            target.put(member.member().memberId(), member.target());
        }
        group.setTarget(value.assignmentEpoch(), target);
        group.restoreEpochs(value.groupEpoch(), value.assignmentEpoch());
        return group;
    }

    /** Arms the session timeout of every loaded member from {@code nowMs}. */
    void onLoaded(ConsumerGroup group, long nowMs) {
        for (ConsumerGroupMember member : group.members().values()) {
            arm(group.groupId(), null, member, nowMs);
        }
    }

    /**
     * Restarts the member's session timeout; starts its revocation timeout when it has just been
     * asked to revoke (Kafka: the rebalance timeout), keeps it while it still has to, clears it after.
     */
    private void arm(String groupId, ConsumerGroupMember before, ConsumerGroupMember after, long nowMs) {
        MemberKey key = new MemberKey(groupId, after.memberId());
        Timers previous = timers.get(key);
        long revocation = Long.MAX_VALUE;
        if (after.state() == ConsumerMemberState.UNREVOKED_PARTITIONS) {
            boolean alreadyRevoking = before != null && before.state() == ConsumerMemberState.UNREVOKED_PARTITIONS && previous != null;
            revocation = alreadyRevoking ? previous.revocationDeadlineMs() : nowMs + Math.max(after.subscription().rebalanceTimeoutMs(), 0);
        }
        Timers next = new Timers(nowMs + config.consumerGroupSessionTimeoutMs(), revocation);
        timers.put(key, next);
        if (queued.add(key)) {
            deadlines.add(new Deadline(next.next(), key));
        }
    }

    /** Fences the members whose session or revocation timeout is due. */
    void poll(long nowMs) {
        while (!deadlines.isEmpty() && deadlines.peek().deadlineMs() <= nowMs) {
            Deadline due = deadlines.poll();
            queued.remove(due.key());
            Timers memberTimers = timers.get(due.key());
            ConsumerGroup group = shard.consumerGroup(due.key().groupId());
            if (memberTimers == null || group == null || group.member(due.key().memberId()).isEmpty()) {
                timers.remove(due.key());
                continue;
            }
            if (memberTimers.next() > nowMs) {
                queued.add(due.key());
                deadlines.add(new Deadline(memberTimers.next(), due.key()));
                continue;
            }
            String why = memberTimers.sessionDeadlineMs() <= nowMs ? "session timed out" : "did not revoke its partitions within the rebalance timeout";
            try {
                removeMember(group, due.key().memberId(), nowMs, why);
            } catch (ApiException e) {
                // The log refused the write; try again shortly rather than forgetting the member's expiry.
                LOG.warn("[group {}] could not fence member {}: {}", group.groupId(), due.key().memberId(), e.getMessage());
                long retryMs = nowMs + 1_000;
                timers.put(due.key(), new Timers(retryMs, Long.MAX_VALUE));
                queued.add(due.key());
                deadlines.add(new Deadline(retryMs, due.key()));
            }
        }
    }

    /** Forgets the timers of a group (deleted or unloaded). */
    void forget(String groupId) {
        timers.keySet().removeIf(key -> key.groupId().equals(groupId));
    }

    static MemberAssignment toAssignment(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topicPartitions) {
        Map<Uuid, Set<Integer>> partitions = new HashMap<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : topicPartitions) {
            partitions.computeIfAbsent(topic.topicId(), id -> new TreeSet<>()).addAll(topic.partitions());
        }
        return MemberAssignment.of(partitions);
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment toResponseAssignment(MemberAssignment assignment) {
        ConsumerGroupHeartbeatResponseData.Assignment response = new ConsumerGroupHeartbeatResponseData.Assignment();
        assignment.partitions().forEach((topicId, partitions) -> response.topicPartitions().add(
                new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topicId).setPartitions(new ArrayList<>(partitions))));
        return response;
    }

    private static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
