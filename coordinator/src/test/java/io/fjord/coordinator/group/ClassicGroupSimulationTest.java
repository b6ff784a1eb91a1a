package io.fjord.coordinator.group;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.SyncGroupResponseData;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded simulation: simulated consumers join, sync, heartbeat, leave, go silent and come back,
 * the coordinator reloads from its log, and time jumps. After every event the group's generation
 * must not have moved back; at the end, once every member has gone silent long enough, every
 * parked JoinGroup/SyncGroup must have been answered and the group must be empty.
 * A failure names the seed: re-run the same seed to reproduce.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClassicGroupSimulationTest {

    private static final int MEMBERS = 4;
    private static final int EVENTS = 400;

    /** What a simulated consumer knows. */
    private static final class SimMember {
        String memberId = "";
        int generationId = -1;
        boolean silent;
        CompletableFuture<JoinGroupResponseData> join;
        CompletableFuture<SyncGroupResponseData> sync;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void generationsOnlyMoveForwardAndEveryParkedRequestIsAnswered(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GroupTestDriver driver = new GroupTestDriver(GroupCoordinatorConfig.builder().groupInitialRebalanceDelayMs(1_000).build(), seed);
        List<SimMember> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(new SimMember());
        }
        List<CompletableFuture<?>> parked = new ArrayList<>();
        int highestGeneration = 0;
        for (int event = 0; event < EVENTS; event++) {
            SimMember member = members.get(random.nextInt(MEMBERS));
            switch (random.nextInt(10)) {
                case 0, 1 -> driver.advance(random.nextInt(6_000));
                case 2 -> member.silent = !member.silent;
                case 3 -> {
                    if (!member.memberId.isEmpty() && !member.silent) {
                        driver.leave(member.memberId);
                        member.memberId = "";
                        member.generationId = -1;
                    }
                }
                case 4 -> {
                    if (random.nextInt(8) == 0) {
                        driver.reload();
                    }
                }
                default -> step(driver, member, parked);
            }
            for (SimMember each : members) {
                if (!each.silent) {
                    step(driver, each, parked);
                }
            }
            checkInvariants(driver, seed, event);
            if (driver.shard.groupState(GroupTestDriver.GROUP).isEmpty()) {
                // An empty group without offsets is removed after the retention check; a new one starts at 0, as in Kafka.
                highestGeneration = 0;
                continue;
            }
            int generation = driver.generation();
            assertThat(generation).as("seed %d event %d: generation went back", seed, event).isGreaterThanOrEqualTo(highestGeneration);
            highestGeneration = Math.max(highestGeneration, generation);
        }
        for (int i = 0; i < 700; i++) {
            driver.advance(1_000);
        }
        assertThat(parked).as("seed %d: parked requests never answered", seed).allMatch(CompletableFuture::isDone);
        assertThat(driver.state()).as("seed %d", seed).isIn(GroupState.EMPTY, GroupState.DEAD);
    }

    /** Invariants of the group after every event: the awaiting count is exact and only a preparing group parks joins. */
    private static void checkInvariants(GroupTestDriver driver, long seed, int event) {
        ClassicGroup group = driver.shard.stateForTest().group(GroupTestDriver.GROUP);
        if (group == null) {
            return;
        }
        long awaiting = group.members().stream().filter(ClassicGroupMember::isAwaitingJoin).count();
        assertThat(group.numMembersAwaitingJoin()).as("seed %d event %d: awaiting-join count", seed, event).isEqualTo((int) awaiting);
        if (awaiting > 0) {
            assertThat(group.state()).as("seed %d event %d: a parked JoinGroup outside a join phase", seed, event)
                    .isEqualTo(GroupState.PREPARING_REBALANCE);
        }
        if (group.isInState(GroupState.PREPARING_REBALANCE)) {
            assertThat(group.joinDeadlineMs()).as("seed %d event %d: join phase without deadline", seed, event).isNotEqualTo(ClassicGroup.NO_DEADLINE);
        }
    }

    /** One consumer poll: collect answers, then join, sync or heartbeat as a Java consumer would. */
    private static void step(GroupTestDriver driver, SimMember member, List<CompletableFuture<?>> parked) {
        if (member.join != null && member.join.isDone()) {
            JoinGroupResponseData response = member.join.join();
            member.join = null;
            if (response.errorCode() == Errors.NONE.code()) {
                member.memberId = response.memberId();
                member.generationId = response.generationId();
                Map<String, byte[]> assignments = new HashMap<>();
                response.members().forEach(m -> assignments.put(m.memberId(), GroupTestDriver.assignment("orders", 0)));
                member.sync = driver.sync(member.memberId, member.generationId, assignments);
                parked.add(member.sync);
            } else if (response.errorCode() != Errors.REBALANCE_IN_PROGRESS.code()) {
                member.memberId = "";
                member.generationId = -1;
            }
            return;
        }
        if (member.sync != null && member.sync.isDone()) {
            if (member.sync.join().errorCode() != Errors.NONE.code()) {
                member.generationId = -1;
            }
            member.sync = null;
            return;
        }
        if (member.join != null || member.sync != null) {
            return;
        }
        if (member.generationId < 0) {
            if (member.memberId.isEmpty()) {
                JoinGroupResponseData first = driver.join("").join();
                member.memberId = first.memberId();
            }
            member.join = driver.join(member.memberId);
            parked.add(member.join);
            return;
        }
        short error = driver.heartbeat(member.memberId, member.generationId).errorCode();
        if (error == Errors.REBALANCE_IN_PROGRESS.code() || error == Errors.ILLEGAL_GENERATION.code()) {
            member.generationId = -1;
        } else if (error != Errors.NONE.code()) {
            member.memberId = "";
            member.generationId = -1;
        }
    }
}
