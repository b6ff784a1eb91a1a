package io.fjord.coordinator.group;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.ClassicGroupMember.Protocol;
import io.fjord.coordinator.group.ClassicGroupMember.Timeouts;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The classic group membership protocol of one shard (Kafka's classic group handling in
 * {@code GroupMetadataManager}): JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and what time
 * does to a group (session timeouts, the rebalance timeout, the initial rebalance delay, the
 * pending-member and pending-sync timeouts). See {@link GroupState} for the transition table.
 *
 * <p>JoinGroup and SyncGroup answers may be parked in the member until the join phase completes or
 * the leader's assignment is stored; every parked future is completed eventually (with a result or
 * an error), so no connection waits forever. Persisting happens at the end of a generation (the
 * leader's SyncGroup, a group becoming empty, a static member replaced in a stable group).
 *
 * <p>Confined to the coordinator thread; every method takes the current time.
 */
final class ClassicGroupManager {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);
    /** At most this many protocols per JoinGroup: Java sends one per assignor, a handful in practice. */
    static final int MAX_PROTOCOLS_PER_MEMBER = 64;
    /** Group ids are stored as int16-length strings in {@code __consumer_offsets}. */
    static final int MAX_GROUP_ID_BYTES = Short.MAX_VALUE;
    /** The part of a client id reused in a generated member id. */
    private static final int MAX_CLIENT_ID_PREFIX_CHARS = 256;

    private final GroupShardState shard;
    private final GroupCoordinatorConfig config;
    private final RandomGenerator random;

    ClassicGroupManager(GroupShardState shard, GroupCoordinatorConfig config, RandomGenerator random) {
        this.shard = shard;
        this.config = config;
        this.random = random;
    }

    // ------------------------------------------------------------------ JoinGroup

    CompletableFuture<JoinGroupResponseData> handleJoinGroupRequest(GroupRequestContext context, JoinGroupRequestData request, long nowMs) {
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        Optional<Errors> invalid = validateJoin(request);
        if (invalid.isPresent()) {
            future.complete(joinError(request.memberId(), invalid.get()));
            return future;
        }
        boolean unknownMember = request.memberId().isEmpty();
        ClassicGroup group = shard.group(request.groupId());
        if (group == null && !unknownMember) {
            future.complete(joinError(request.memberId(), Errors.UNKNOWN_MEMBER_ID));
            return future;
        }
        boolean created = group == null;
        if (group == null) {
            group = shard.getOrCreate(request.groupId(), nowMs);
        }
        JoinRequest join = new JoinRequest(context, request, protocolsOf(request), timeoutsOf(request), future);
        if (!acceptJoiningMember(group, request.memberId())) {
            if (group.hasMember(request.memberId())) {
                removeMemberAndUpdateGroup(group, group.member(request.memberId()), nowMs, "group is over group.max.size");
            }
            future.complete(joinError("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (unknownMember) {
            joinNewMember(group, join, nowMs);
        } else {
            joinExistingMember(group, join, nowMs);
        }
        if (created && group.isEmpty() && group.pendingMembers().isEmpty() && !group.hasOffsets()) {
            shard.remove(group.groupId());
        } else {
            shard.scheduleCheck(group);
        }
        return future;
    }

    /** One JoinGroup being handled: the request, its parsed protocols and timeouts, its response future. */
    private record JoinRequest(GroupRequestContext context, JoinGroupRequestData request, List<Protocol> protocols,
                               Timeouts timeouts, CompletableFuture<JoinGroupResponseData> future) {
        String groupInstanceId() {
            return request.groupInstanceId();
        }
    }

    private Optional<Errors> validateJoin(JoinGroupRequestData request) {
        if (!isValidGroupId(request.groupId())) {
            return Optional.of(Errors.INVALID_GROUP_ID);
        }
        if (request.sessionTimeoutMs() < config.groupMinSessionTimeoutMs() || request.sessionTimeoutMs() > config.groupMaxSessionTimeoutMs()) {
            return Optional.of(Errors.INVALID_SESSION_TIMEOUT);
        }
        if (request.protocols().size() > MAX_PROTOCOLS_PER_MEMBER) {
            return Optional.of(Errors.INVALID_REQUEST);
        }
        boolean consumer = ConsumerProtocolCodec.CONSUMER_PROTOCOL_TYPE.equals(request.protocolType());
        for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
            byte[] metadata = protocol.metadata() == null ? ClassicGroupMember.EMPTY_ASSIGNMENT : protocol.metadata();
            if (metadata.length > config.memberMetadataMaxBytes()) {
                return Optional.of(Errors.INVALID_REQUEST);
            }
            // The assignment stays opaque, but a consumer's subscription must be one: it is stored and read back.
            if (consumer && ConsumerProtocolCodec.readSubscription(metadata).isEmpty()) {
                return Optional.of(Errors.INVALID_REQUEST);
            }
        }
        return Optional.empty();
    }

    static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty() && groupId.getBytes(StandardCharsets.UTF_8).length <= MAX_GROUP_ID_BYTES;
    }

    private static List<Protocol> protocolsOf(JoinGroupRequestData request) {
        List<Protocol> protocols = new ArrayList<>(request.protocols().size());
        for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new Protocol(protocol.name(), protocol.metadata() == null ? ClassicGroupMember.EMPTY_ASSIGNMENT : protocol.metadata()));
        }
        return protocols;
    }

    /** JoinGroup v0 has no rebalance timeout: Kafka uses the session timeout for it. */
    private static Timeouts timeoutsOf(JoinGroupRequestData request) {
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() < 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        return new Timeouts(rebalanceTimeoutMs, request.sessionTimeoutMs());
    }

    /** Kafka's acceptJoiningMember: group.max.size counts awaiting members while preparing, all members otherwise. */
    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                    || group.numMembersAwaitingJoin() < config.groupMaxSize();
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.numMembers() < config.groupMaxSize();
        };
    }

    private void joinNewMember(ClassicGroup group, JoinRequest join, long nowMs) {
        if (group.isInState(GroupState.DEAD)) {
            join.future().complete(joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.request().protocolType(), join.protocols())) {
            join.future().complete(joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String newMemberId = generateMemberId(join.context().clientId(), join.groupInstanceId());
        if (join.groupInstanceId() != null) {
            Optional<String> existing = group.staticMemberId(join.groupInstanceId());
            if (existing.isPresent()) {
                LOG.info("[group {}] static member {} re-joins with an unknown member id; replacing {} by {}",
                        group.groupId(), join.groupInstanceId(), existing.get(), newMemberId);
                replaceStaticMemberThenRebalanceOrCompleteJoin(group, join, existing.get(), newMemberId, nowMs);
            } else {
                addMemberThenRebalanceOrCompleteJoin(group, join, newMemberId, nowMs);
            }
        } else if (join.context().apiVersion() >= 4) {
            // KIP-394: a new dynamic member first gets its id, and must come back with it within the session timeout.
            group.addPendingMember(newMemberId, nowMs + join.timeouts().sessionTimeoutMs());
            join.future().complete(new JoinGroupResponseData().setMemberId(newMemberId).setErrorCode(Errors.MEMBER_ID_REQUIRED.code()));
        } else {
            addMemberThenRebalanceOrCompleteJoin(group, join, newMemberId, nowMs);
        }
    }

    private void joinExistingMember(ClassicGroup group, JoinRequest join, long nowMs) {
        String memberId = join.request().memberId();
        if (group.isInState(GroupState.DEAD)) {
            join.future().complete(joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.request().protocolType(), join.protocols())) {
            join.future().complete(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId)) {
            if (join.groupInstanceId() != null) {
                // Pending ids are only handed to dynamic members; a static member presenting one is confused.
                join.future().complete(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            addMemberThenRebalanceOrCompleteJoin(group, join, memberId, nowMs);
            return;
        }
        Optional<Errors> memberError = group.validateMember(memberId, join.groupInstanceId());
        if (memberError.isPresent()) {
            join.future().complete(joinError(memberId, memberError.get()));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(group, member, join, nowMs);
            case COMPLETING_REBALANCE -> {
                if (member.matches(join.protocols())) {
                    // The member lost our JoinGroup answer: give it the current generation again.
                    join.future().complete(currentGenerationResponse(group, memberId, group.isLeader(memberId), false, group.leaderId().orElse("")));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(group, member, join, nowMs);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(join.protocols())) {
                    // A leader re-joining asks for a new assignment (e.g. the topic metadata changed).
                    updateMemberThenRebalanceOrCompleteJoin(group, member, join, nowMs);
                } else {
                    join.future().complete(currentGenerationResponse(group, memberId, false, false, group.leaderId().orElse("")));
                }
            }
            case EMPTY, DEAD -> join.future().complete(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void addMemberThenRebalanceOrCompleteJoin(ClassicGroup group, JoinRequest join, String memberId, long nowMs) {
        ClassicGroupMember member = new ClassicGroupMember(memberId, join.groupInstanceId(), join.context().clientId(),
                join.context().clientHost(), join.request().protocolType(), join.timeouts(), join.protocols());
        member.setNew(true);
        if (group.isInState(GroupState.PREPARING_REBALANCE) && group.previousState() == GroupState.EMPTY) {
            group.setNewMemberAdded(true);
        }
        member.setAwaitingJoin(join.future());
        group.add(member);
        // A parked new member cannot heartbeat; its JoinGroup times out after the new-member join timeout instead.
        member.setHeartbeatDeadlineMs(nowMs + config.newMemberJoinTimeoutMs());
        maybePrepareRebalanceOrCompleteJoin(group, nowMs, "adding member " + memberId);
    }

    private void updateMemberThenRebalanceOrCompleteJoin(ClassicGroup group, ClassicGroupMember member, JoinRequest join, long nowMs) {
        member.update(join.protocols(), join.timeouts());
        if (member.isAwaitingJoin()) {
            // A second JoinGroup while the first is parked: answer the first so its connection is not stuck.
            group.completeJoin(member, joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        group.markAwaitingJoin(member, join.future());
        maybePrepareRebalanceOrCompleteJoin(group, nowMs, "member " + member.memberId() + " re-joins");
    }

    /** KIP-345: a static member re-joining with an unknown id takes over its instance's place and assignment. */
    private void replaceStaticMemberThenRebalanceOrCompleteJoin(ClassicGroup group, JoinRequest join, String oldMemberId,
                                                                String newMemberId, long nowMs) {
        String currentLeader = group.leaderId().orElse("");
        ClassicGroupMember previous = group.member(oldMemberId);
        List<Protocol> oldProtocols = previous.protocols();
        Timeouts oldTimeouts = new Timeouts(previous.rebalanceTimeoutMs(), previous.sessionTimeoutMs());
        ClassicGroupMember member = group.replaceStaticMember(join.groupInstanceId(), oldMemberId, newMemberId);
        member.setHeartbeatDeadlineMs(nowMs + join.timeouts().sessionTimeoutMs());
        member.update(join.protocols(), join.timeouts());
        group.markAwaitingJoin(member, join.future());
        switch (group.state()) {
            case STABLE -> {
                if (!group.protocolName().orElse("").equals(group.selectProtocol())) {
                    maybePrepareRebalanceOrCompleteJoin(group, nowMs, "static member " + newMemberId + " changes the selected protocol");
                    return;
                }
                try {
                    shard.append(List.of(groupMetadataRecord(group)), nowMs);
                } catch (ApiException e) {
                    member.update(oldProtocols, oldTimeouts);
                    group.completeJoin(member, joinError("", GroupShardState.groupMetadataAppendError(e.error())));
                    group.replaceStaticMember(join.groupInstanceId(), newMemberId, oldMemberId).setHeartbeatDeadlineMs(nowMs + oldTimeouts.sessionTimeoutMs());
                    return;
                }
                boolean isLeader = group.isLeader(newMemberId);
                if (join.context().apiVersion() >= 9) {
                    // KIP-814: a replaced leader gets the members but must not compute a new assignment.
                    group.completeJoin(member, currentGenerationResponse(group, newMemberId, isLeader, isLeader, group.leaderId().orElse("")));
                } else {
                    // Older clients cannot skip the assignment: hide the leadership, they just SyncGroup.
                    group.completeJoin(member, currentGenerationResponse(group, newMemberId, false, false, currentLeader));
                }
            }
            // The leader may already have assigned to the old id: only a new rebalance makes it right.
            case COMPLETING_REBALANCE -> prepareRebalance(group, nowMs, "static member " + newMemberId + " replaced " + oldMemberId);
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group, nowMs);
            case EMPTY, DEAD -> throw new IllegalStateException("group " + group.groupId() + " in " + group.state() + " has static member " + oldMemberId);
        }
    }

    private String generateMemberId(String clientId, String groupInstanceId) {
        String prefix = groupInstanceId != null ? groupInstanceId : clientId;
        if (prefix.length() > MAX_CLIENT_ID_PREFIX_CHARS) {
            prefix = prefix.substring(0, MAX_CLIENT_ID_PREFIX_CHARS);
        }
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return prefix + "-" + new UUID(most, least);
    }

    private static JoinGroupResponseData currentGenerationResponse(ClassicGroup group, String memberId, boolean withMembers,
                                                                   boolean skipAssignment, String leaderId) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.currentMembersForLeader() : new ArrayList<>())
                .setMemberId(memberId)
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolName().orElse(null))
                .setProtocolType(group.protocolType().orElse(null))
                .setLeader(leaderId)
                .setSkipAssignment(skipAssignment);
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setGenerationId(-1).setErrorCode(error.code())
                .setProtocolName(null).setProtocolType(null);
    }

    // ------------------------------------------------------------------ rebalance phases

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, long nowMs, String reason) {
        if (GroupState.PREPARING_REBALANCE.validPreviousStates().contains(group.state())) {
            prepareRebalance(group, nowMs, reason);
        } else if (group.isInState(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoinPhase(group, nowMs);
        }
    }

    private void prepareRebalance(ClassicGroup group, long nowMs, String reason) {
        if (group.isInState(GroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentWithError(group, Errors.REBALANCE_IN_PROGRESS, nowMs);
        }
        group.setSyncDeadlineMs(ClassicGroup.NO_DEADLINE);
        boolean initialRebalance = group.isInState(GroupState.EMPTY);
        if (initialRebalance) {
            int delayMs = config.groupInitialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            group.setJoinDeadline(nowMs + delayMs, true, remainingMs);
        }
        LOG.info("[group {}] preparing to rebalance in generation {}: {}", group.groupId(), group.generationId(), reason);
        group.transitionTo(GroupState.PREPARING_REBALANCE, nowMs);
        if (!initialRebalance) {
            if (group.hasAllMembersJoined()) {
                completeJoinPhase(group, nowMs);
            } else {
                group.setJoinDeadline(nowMs + group.rebalanceTimeoutMs(), false, 0);
            }
        }
        shard.scheduleCheck(group);
    }

    /** Completes the join phase once every member has re-joined; the initial rebalance always waits its delay. */
    private void maybeCompleteJoinPhase(ClassicGroup group, long nowMs) {
        if (group.isInState(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined() && group.previousState() != GroupState.EMPTY) {
            completeJoinPhase(group, nowMs);
        }
    }

    /** The join deadline passed: extend the initial delay while members keep arriving, else complete the join. */
    private void onJoinDeadline(ClassicGroup group, long nowMs) {
        if (group.inInitialDelay() && group.newMemberAdded() && group.initialDelayRemainingMs() != 0) {
            group.setNewMemberAdded(false);
            int delayMs = Math.min(config.groupInitialRebalanceDelayMs(), group.initialDelayRemainingMs());
            int remainingMs = Math.max(group.initialDelayRemainingMs() - config.groupInitialRebalanceDelayMs(), 0);
            // Counted from the deadline that fired, not from the poll that noticed it, as a timer would.
            group.setJoinDeadline(group.joinDeadlineMs() + delayMs, true, remainingMs);
            return;
        }
        completeJoinPhase(group, nowMs);
    }

    private void completeJoinPhase(ClassicGroup group, long nowMs) {
        group.clearJoinDeadline();
        for (ClassicGroupMember member : group.notYetRejoinedMembers()) {
            // Static members keep their place: they may come back within their session timeout (KIP-345).
            if (!member.isStatic()) {
                LOG.info("[group {}] removing {}: it did not re-join within the rebalance timeout", group.groupId(), member);
                removeMember(group, member);
            }
        }
        if (group.isInState(GroupState.DEAD)) {
            return;
        }
        if (!group.maybeElectNewJoinedLeader() && !group.isEmpty()) {
            // Nobody re-joined: wait another rebalance timeout, session timeouts will clear the silent members.
            group.setJoinDeadline(nowMs + group.rebalanceTimeoutMs(), false, 0);
            return;
        }
        group.initNextGeneration(nowMs);
        group.setSubscribedTopics(ConsumerProtocolCodec.subscribedTopics(group));
        if (group.isInState(GroupState.EMPTY)) {
            LOG.info("[group {}] generation {} has no members; the group is empty", group.groupId(), group.generationId());
            try {
                shard.append(List.of(groupMetadataRecord(group)), nowMs);
            } catch (ApiException e) {
                LOG.warn("[group {}] could not store the empty generation {}: {}", group.groupId(), group.generationId(), e.getMessage());
            }
            return;
        }
        LOG.info("[group {}] generation {} formed with {} members, protocol {}", group.groupId(), group.generationId(),
                group.numMembers(), group.protocolName().orElse(""));
        for (ClassicGroupMember member : group.members()) {
            member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
        }
        // Unlike Kafka, the new generation is stored before anyone hears of it (with no assignment yet),
        // so a coordinator reloaded before the leader's SyncGroup never hands out this generation number
        // again: it finds a generation without assignments and rebalances into the next one (see onLoaded).
        try {
            shard.append(List.of(groupMetadataRecord(group)), nowMs);
        } catch (ApiException e) {
            LOG.warn("[group {}] could not store generation {}: {}", group.groupId(), group.generationId(), e.getMessage());
        }
        for (ClassicGroupMember member : new ArrayList<>(group.members())) {
            boolean isLeader = group.isLeader(member.memberId());
            group.completeJoin(member, currentGenerationResponse(group, member.memberId(), isLeader, false, group.leaderId().orElse("")));
            member.setHeartbeatDeadlineMs(nowMs + member.sessionTimeoutMs());
            member.setNew(false);
            group.pendingSyncMembers().add(member.memberId());
        }
        group.setSyncDeadlineMs(nowMs + group.rebalanceTimeoutMs());
    }

    private void resetAndPropagateAssignmentWithError(ClassicGroup group, Errors error, long nowMs) {
        for (ClassicGroupMember member : group.members()) {
            member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
        }
        propagateAssignment(group, error, nowMs);
    }

    /** Answers every parked SyncGroup; a member answered starts its session timeout afresh. */
    private void propagateAssignment(ClassicGroup group, Errors error, long nowMs) {
        for (ClassicGroupMember member : group.members()) {
            SyncGroupResponseData response = new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(member.assignment());
            if (error == Errors.NONE) {
                response.setProtocolType(group.protocolType().orElse(null)).setProtocolName(group.protocolName().orElse(null));
            }
            if (member.completeSync(response)) {
                member.setHeartbeatDeadlineMs(nowMs + member.sessionTimeoutMs());
            }
        }
    }

    static GroupRecord.GroupMetadata groupMetadataRecord(ClassicGroup group) {
        List<GroupRecord.MemberValue> members = new ArrayList<>(group.numMembers());
        String protocol = group.protocolName().orElse(null);
        for (ClassicGroupMember member : group.members()) {
            byte[] subscription = protocol == null ? ClassicGroupMember.EMPTY_ASSIGNMENT : member.metadata(protocol).orElse(ClassicGroupMember.EMPTY_ASSIGNMENT);
            members.add(new GroupRecord.MemberValue(member.memberId(), member.groupInstanceId().orElse(null), member.clientId(),
                    member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(), subscription, member.assignment()));
        }
        GroupRecord.GroupMetadataValue value = new GroupRecord.GroupMetadataValue(group.protocolType().orElse(""), group.generationId(),
                protocol, group.isEmpty() ? null : group.leaderId().orElse(null), group.stateTimestampMs(), members);
        return new GroupRecord.GroupMetadata(group.groupId(), Optional.of(value));
    }

    // ------------------------------------------------------------------ SyncGroup

    CompletableFuture<SyncGroupResponseData> handleSyncGroupRequest(SyncGroupRequestData request, long nowMs) {
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        ClassicGroup group = isValidGroupId(request.groupId()) ? shard.group(request.groupId()) : null;
        Optional<Errors> error = !isValidGroupId(request.groupId()) ? Optional.of(Errors.INVALID_GROUP_ID)
                : group == null || group.isEmpty() ? Optional.of(Errors.UNKNOWN_MEMBER_ID) : validateSync(group, request);
        if (error.isPresent()) {
            future.complete(new SyncGroupResponseData().setErrorCode(error.get().code()));
            return future;
        }
        String memberId = request.memberId();
        switch (group.state()) {
            case PREPARING_REBALANCE -> future.complete(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
            case COMPLETING_REBALANCE -> syncInCompletingRebalance(group, request, future, nowMs);
            case STABLE -> {
                removePendingSyncMember(group, memberId);
                future.complete(new SyncGroupResponseData()
                        .setProtocolType(group.protocolType().orElse(null))
                        .setProtocolName(group.protocolName().orElse(null))
                        .setAssignment(group.member(memberId).assignment()));
            }
            case EMPTY, DEAD -> future.complete(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        shard.scheduleCheck(group);
        return future;
    }

    private static Optional<Errors> validateSync(ClassicGroup group, SyncGroupRequestData request) {
        if (group.isInState(GroupState.DEAD)) {
            return Optional.of(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        Optional<Errors> memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError.isPresent()) {
            return memberError;
        }
        if (request.generationId() != group.generationId()) {
            return Optional.of(Errors.ILLEGAL_GENERATION);
        }
        // SyncGroup v5 names the protocol type and name it got from JoinGroup; they must match the group's.
        if (isInconsistent(request.protocolType(), group.protocolType()) || isInconsistent(request.protocolName(), group.protocolName())) {
            return Optional.of(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        return Optional.empty();
    }

    private static boolean isInconsistent(String requested, Optional<String> groups) {
        return requested != null && groups.isPresent() && !groups.get().equals(requested);
    }

    private void syncInCompletingRebalance(ClassicGroup group, SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> future,
                                           long nowMs) {
        String memberId = request.memberId();
        if (group.isLeader(memberId)) {
            Optional<Errors> invalid = validateAssignments(group, request);
            if (invalid.isPresent()) {
                future.complete(new SyncGroupResponseData().setErrorCode(invalid.get().code()));
                return;
            }
        }
        ClassicGroupMember member = group.member(memberId);
        if (member.isAwaitingSync()) {
            member.completeSync(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
        }
        member.setAwaitingSync(future);
        removePendingSyncMember(group, memberId);
        if (!group.isLeader(memberId)) {
            return;
        }
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
            if (group.hasMember(assignment.memberId())) {
                assignments.put(assignment.memberId(), assignment.assignment() == null ? ClassicGroupMember.EMPTY_ASSIGNMENT : assignment.assignment());
            }
        }
        Map<String, byte[]> previous = new HashMap<>();
        for (ClassicGroupMember each : group.members()) {
            previous.put(each.memberId(), each.assignment());
            each.setAssignment(assignments.getOrDefault(each.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT));
        }
        try {
            shard.append(List.of(groupMetadataRecord(group)), nowMs);
        } catch (ApiException e) {
            Errors error = GroupShardState.groupMetadataAppendError(e.error());
            LOG.warn("[group {}] could not store the assignment of generation {}: {}", group.groupId(), group.generationId(), e.getMessage());
            resetAndPropagateAssignmentWithError(group, error, nowMs);
            maybePrepareRebalanceOrCompleteJoin(group, nowMs, "storing the assignment failed with " + error);
            return;
        }
        LOG.info("[group {}] assignment of generation {} stored; the group is stable", group.groupId(), group.generationId());
        group.transitionTo(GroupState.STABLE, nowMs);
        propagateAssignment(group, Errors.NONE, nowMs);
    }

    /** The leader's assignments: bounded, for known members, and for consumer groups well-formed. */
    private Optional<Errors> validateAssignments(ClassicGroup group, SyncGroupRequestData request) {
        boolean consumer = group.protocolType().map(ConsumerProtocolCodec.CONSUMER_PROTOCOL_TYPE::equals).orElse(false);
        if (request.assignments().size() > Math.max(group.numMembers(), 1) * 2) {
            return Optional.of(Errors.INVALID_REQUEST);
        }
        for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
            byte[] bytes = assignment.assignment();
            if (bytes != null && bytes.length > config.memberMetadataMaxBytes()) {
                return Optional.of(Errors.INVALID_REQUEST);
            }
            if (consumer && !ConsumerProtocolCodec.isValidAssignment(bytes)) {
                return Optional.of(Errors.INVALID_REQUEST);
            }
        }
        return Optional.empty();
    }

    private static void removePendingSyncMember(ClassicGroup group, String memberId) {
        group.pendingSyncMembers().remove(memberId);
        if (group.pendingSyncMembers().isEmpty()) {
            group.setSyncDeadlineMs(ClassicGroup.NO_DEADLINE);
        }
    }

    // ------------------------------------------------------------------ Heartbeat

    HeartbeatResponseData handleHeartbeatRequest(HeartbeatRequestData request, long nowMs) {
        if (!isValidGroupId(request.groupId())) {
            return new HeartbeatResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup group = shard.group(request.groupId());
        if (group == null) {
            return new HeartbeatResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        if (group.isInState(GroupState.DEAD)) {
            return new HeartbeatResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        Optional<Errors> memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError.isPresent()) {
            return new HeartbeatResponseData().setErrorCode(memberError.get().code());
        }
        if (request.generationId() != group.generationId()) {
            return new HeartbeatResponseData().setErrorCode(Errors.ILLEGAL_GENERATION.code());
        }
        ClassicGroupMember member = group.member(request.memberId());
        Errors error = switch (group.state()) {
            case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> Errors.REBALANCE_IN_PROGRESS;
            // A member may heartbeat between its JoinGroup answer and its SyncGroup: a normal heartbeat.
            case COMPLETING_REBALANCE, STABLE -> Errors.NONE;
        };
        if (error != Errors.UNKNOWN_MEMBER_ID) {
            member.setHeartbeatDeadlineMs(nowMs + member.sessionTimeoutMs());
            shard.scheduleCheck(group);
        }
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    // ------------------------------------------------------------------ LeaveGroup

    /** LeaveGroup in its v3+ (batched) shape; the broker turns v0-2 into one member identity. */
    LeaveGroupResponseData handleLeaveGroupRequest(LeaveGroupRequestData request, long nowMs) {
        if (!isValidGroupId(request.groupId())) {
            return new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup group = shard.group(request.groupId());
        if (group == null) {
            return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        if (group.isInState(GroupState.DEAD)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        for (LeaveGroupRequestData.MemberIdentity identity : request.members()) {
            Errors error = leaveOne(group, identity, nowMs);
            response.members().add(new LeaveGroupResponseData.MemberResponse().setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId()).setErrorCode(error.code()));
        }
        shard.scheduleCheck(group);
        return response;
    }

    private Errors leaveOne(ClassicGroup group, LeaveGroupRequestData.MemberIdentity identity, long nowMs) {
        String reason = identity.reason() == null ? "not provided" : identity.reason();
        if (identity.memberId().isEmpty()) {
            // KIP-345: an administrator removes a static member by its instance id alone.
            Optional<String> staticMemberId = identity.groupInstanceId() == null ? Optional.empty() : group.staticMemberId(identity.groupInstanceId());
            if (staticMemberId.isEmpty()) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            removeMemberAndUpdateGroup(group, group.member(staticMemberId.get()), nowMs, "removed by instance id; reason: " + reason);
            return Errors.NONE;
        }
        if (group.isPendingMember(identity.memberId())) {
            group.removePendingMember(identity.memberId());
            maybeCompleteJoinPhase(group, nowMs);
            return Errors.NONE;
        }
        Optional<Errors> memberError = group.validateMember(identity.memberId(), identity.groupInstanceId());
        if (memberError.isPresent()) {
            return memberError.get();
        }
        removeMemberAndUpdateGroup(group, group.member(identity.memberId()), nowMs, "left the group; reason: " + reason);
        return Errors.NONE;
    }

    private void removeMemberAndUpdateGroup(ClassicGroup group, ClassicGroupMember member, long nowMs, String reason) {
        LOG.info("[group {}] {} removed: {}", group.groupId(), member, reason);
        removeMember(group, member);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalanceOrCompleteJoin(group, nowMs, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group, nowMs);
            case EMPTY, DEAD -> {
            }
        }
    }

    /** Removes a member after answering whatever it has parked with UNKNOWN_MEMBER_ID; no state change follows. */
    private static void removeMember(ClassicGroup group, ClassicGroupMember member) {
        group.completeJoin(member, joinError("", Errors.UNKNOWN_MEMBER_ID));
        member.completeSync(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.remove(member.memberId());
    }

    // ------------------------------------------------------------------ time

    /** Applies every timeout of the group that is due at {@code nowMs}. */
    void onDeadlines(ClassicGroup group, long nowMs) {
        for (Map.Entry<String, Long> pending : new ArrayList<>(group.pendingMembers().entrySet())) {
            if (pending.getValue() <= nowMs) {
                LOG.info("[group {}] pending member {} did not join within its session timeout", group.groupId(), pending.getKey());
                group.removePendingMember(pending.getKey());
                maybeCompleteJoinPhase(group, nowMs);
            }
        }
        for (ClassicGroupMember member : new ArrayList<>(group.members())) {
            if (group.hasMember(member.memberId()) && member.heartbeatDeadlineMs() <= nowMs) {
                if (member.hasSatisfiedHeartbeat()) {
                    member.setHeartbeatDeadlineMs(ClassicGroupMember.NO_DEADLINE);
                } else {
                    removeMemberAndUpdateGroup(group, member, nowMs, "its session timed out");
                }
            }
        }
        if (group.syncDeadlineMs() <= nowMs) {
            group.setSyncDeadlineMs(ClassicGroup.NO_DEADLINE);
            expirePendingSync(group, nowMs);
        }
        while (group.joinDeadlineMs() <= nowMs && group.isInState(GroupState.PREPARING_REBALANCE)) {
            onJoinDeadline(group, nowMs);
        }
    }

    private void expirePendingSync(ClassicGroup group, long nowMs) {
        if (!(group.isInState(GroupState.COMPLETING_REBALANCE) || group.isInState(GroupState.STABLE)) || group.pendingSyncMembers().isEmpty()) {
            return;
        }
        for (String memberId : new ArrayList<>(group.pendingSyncMembers())) {
            if (group.hasMember(memberId)) {
                LOG.info("[group {}] member {} did not send SyncGroup within the rebalance timeout", group.groupId(), memberId);
                removeMember(group, group.member(memberId));
            }
        }
        group.pendingSyncMembers().clear();
        prepareRebalance(group, nowMs, "members did not sync in time");
    }

    /** After loading: every member must heartbeat within its session timeout from now. */
    void onLoaded(ClassicGroup group, long nowMs) {
        for (ClassicGroupMember member : group.members()) {
            member.setHeartbeatDeadlineMs(nowMs + member.sessionTimeoutMs());
        }
        group.setSubscribedTopics(ConsumerProtocolCodec.subscribedTopics(group));
        if (group.numMembers() > config.groupMaxSize()) {
            prepareRebalance(group, nowMs, "loaded group is over group.max.size");
        } else if (!group.isEmpty() && group.members().stream().allMatch(member -> member.assignment().length == 0)) {
            prepareRebalance(group, nowMs, "loaded generation " + group.generationId() + " never received its assignment");
        }
        shard.scheduleCheck(group);
    }

    /** Unloading or deleting: every parked answer gets NOT_COORDINATOR and the group is dead. */
    void onDead(ClassicGroup group, long nowMs, Errors error) {
        for (ClassicGroupMember member : new ArrayList<>(group.members())) {
            group.completeJoin(member, joinError(member.memberId(), error));
            member.completeSync(new SyncGroupResponseData().setErrorCode(error.code()));
        }
        group.transitionTo(GroupState.DEAD, nowMs);
    }
}
