package io.fjord.broker.server;

import io.fjord.broker.server.FetchSessionCache.Context;
import io.fjord.broker.server.FetchSessionCache.Read;
import io.fjord.broker.server.FetchSessionCache.Wanted;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FetchSessionCacheTest {

    private static final short V12 = 12;
    private static final MemoryRecords SOME_RECORDS = MemoryRecordsBuilder.builder().append(0L, "k", "v").build();

    private long nowMs = 1_000_000;
    private final Time clock = new Time() {
        @Override
        public long milliseconds() {
            return nowMs;
        }

        @Override
        public long nanoseconds() {
            return nowMs * 1_000_000;
        }
    };
    /** What the fake log reports per "topic-partition": high watermark; partitions listed in {@link #withData} carry records. */
    private final Map<String, Long> highWatermarks = new HashMap<>();
    private final List<String> withData = new ArrayList<>();
    private final List<String> failing = new ArrayList<>();

    @Test
    void shouldAnswerEveryPartitionWithoutASessionBelowVersion7OrAtEpochMinusOne() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);

        FetchResponseData old = answer(cache.newContext(request(0, 0, "t-0", "t-1"), (short) 6));
        FetchResponseData sessionless = answer(cache.newContext(request(0, -1, "t-0", "t-1"), V12));

        assertThat(names(old)).containsExactly("t-0", "t-1");
        assertThat(old.sessionId()).isZero();
        assertThat(names(sessionless)).containsExactly("t-0", "t-1");
        assertThat(sessionless.sessionId()).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void shouldAnswerOnlyPartitionsWithNewsOnceASessionIsOpen() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        highWatermarks.put("t-0", 5L);
        highWatermarks.put("t-1", 7L);
        highWatermarks.put("u-0", 9L);

        FetchResponseData full = answer(cache.newContext(request(0, 0, "t-0", "t-1", "u-0"), V12));
        int session = full.sessionId();
        FetchResponseData quiet = answer(cache.newContext(request(session, 1), V12));
        withData.add("t-1");
        highWatermarks.put("u-0", 10L);
        FetchResponseData news = answer(cache.newContext(request(session, 2), V12));

        assertThat(session).isPositive();
        assertThat(names(full)).containsExactly("t-0", "t-1", "u-0");
        assertThat(names(quiet)).as("nothing moved, nothing answered").isEmpty();
        assertThat(quiet.sessionId()).isEqualTo(session);
        assertThat(names(news)).containsExactly("t-1", "u-0");
    }

    @Test
    void shouldReadNewPartitionsFromTheRequestAndStopReadingForgottenOnes() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0", "t-1"), V12)).sessionId();

        FetchRequestData next = request(session, 1, "t-2");
        next.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("t").setPartitions(new ArrayList<>(List.of(0))));
        Context context = cache.newContext(next, V12);
        FetchResponseData response = answer(context);

        assertThat(context.partitions()).extracting(w -> w.key().topic() + "-" + w.key().partition()).containsExactly("t-1", "t-2");
        assertThat(names(response)).as("a new partition is always answered once").containsExactly("t-2");
    }

    @Test
    void shouldKeepTheFetchOffsetTheClientLastSent() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0", "t-1"), V12)).sessionId();

        FetchRequestData moved = request(session, 1);
        moved.topics().add(new FetchRequestData.FetchTopic().setTopic("t").setPartitions(new ArrayList<>(List.of(
                new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(42).setPartitionMaxBytes(100)))));
        answer(cache.newContext(moved, V12));
        Context later = cache.newContext(request(session, 2), V12);

        assertThat(later.partitions()).extracting(Wanted::fetchOffset).containsExactlyInAnyOrder(0L, 42L);
    }

    @Test
    void shouldMovePartitionsThatAnsweredToTheEndOfTheReadingOrder() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0", "t-1", "t-2"), V12)).sessionId();

        withData.add("t-0");
        answer(cache.newContext(request(session, 1), V12));
        withData.clear();
        Context next = cache.newContext(request(session, 2), V12);

        assertThat(next.partitions()).extracting(w -> w.key().topic() + "-" + w.key().partition())
                .containsExactly("t-1", "t-2", "t-0");
    }

    @Test
    void shouldAlwaysAnswerErrorsAndResendThePartitionOnceTheErrorClears() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0", "t-1"), V12)).sessionId();

        failing.add("t-0");
        FetchResponseData first = answer(cache.newContext(request(session, 1), V12));
        FetchResponseData second = answer(cache.newContext(request(session, 2), V12));
        failing.clear();
        FetchResponseData cleared = answer(cache.newContext(request(session, 3), V12));
        FetchResponseData quiet = answer(cache.newContext(request(session, 4), V12));

        assertThat(names(first)).containsExactly("t-0");
        assertThat(names(second)).containsExactly("t-0");
        assertThat(names(cleared)).containsExactly("t-0");
        assertThat(names(quiet)).isEmpty();
    }

    @Test
    void shouldAnswerSessionErrorsWithKafkasCodes() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0"), V12)).sessionId();

        FetchResponseData wrongEpoch = answer(cache.newContext(request(session, 5), V12));
        FetchResponseData unknown = answer(cache.newContext(request(session + 1, 1), V12));

        assertThat(wrongEpoch.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        assertThat(unknown.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(unknown.sessionId()).isZero();
        assertThat(answer(cache.newContext(request(session, 1), V12)).errorCode()).as("the session survives errors").isZero();
    }

    @Test
    void shouldRefuseAnAnswerOvertakenByALaterRequestOfTheSameSession() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int session = answer(cache.newContext(request(0, 0, "t-0"), V12)).sessionId();

        Context first = cache.newContext(request(session, 1), V12);
        Context second = cache.newContext(request(session, 2), V12);

        assertThat(answer(first).errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        assertThat(answer(second).errorCode()).isZero();
    }

    @Test
    void shouldCloseASessionOnAFullFetchNamingItOrWhenItsLastPartitionIsForgotten() {
        FetchSessionCache cache = new FetchSessionCache(10, clock);
        int closedByFull = answer(cache.newContext(request(0, 0, "t-0"), V12)).sessionId();
        int reopened = answer(cache.newContext(request(closedByFull, 0, "t-0"), V12)).sessionId();
        answer(cache.newContext(request(reopened, -1, "t-0"), V12));
        int emptied = answer(cache.newContext(request(0, 0, "t-0"), V12)).sessionId();
        FetchRequestData forgetAll = request(emptied, 1);
        forgetAll.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("t").setPartitions(new ArrayList<>(List.of(0))));

        FetchResponseData last = answer(cache.newContext(forgetAll, V12));

        assertThat(answer(cache.newContext(request(closedByFull, 1), V12)).errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(answer(cache.newContext(request(reopened, 1), V12)).errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(last.sessionId()).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void shouldEvictIdleSessionsOrSmallerSettledOnesWhenEverySlotIsTaken() {
        FetchSessionCache cache = new FetchSessionCache(1, clock);
        int small = answer(cache.newContext(request(0, 0, "t-0"), V12)).sessionId();

        int refusedWhileFresh = answer(cache.newContext(request(0, 0, "t-0", "t-1"), V12)).sessionId();
        nowMs += FetchSessionCache.EVICTION_MS + 1;
        answer(cache.newContext(request(small, 1), V12));
        int refusedSameSize = answer(cache.newContext(request(0, 0, "u-0"), V12)).sessionId();
        int biggerWins = answer(cache.newContext(request(0, 0, "t-0", "t-1"), V12)).sessionId();
        nowMs += FetchSessionCache.EVICTION_MS + 1;
        int idleLoses = answer(cache.newContext(request(0, 0, "u-0"), V12)).sessionId();

        assertThat(refusedWhileFresh).as("a session younger than two minutes stays").isZero();
        assertThat(refusedSameSize).as("settled and recently used: only a bigger session evicts it").isZero();
        assertThat(biggerWins).isPositive();
        assertThat(idleLoses).as("idle for two minutes: any new session evicts it").isPositive();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(new FetchSessionCache(0, clock).newContext(request(0, 0, "t-0"), V12))
                .satisfies(context -> assertThat(answer(context).sessionId()).as("no slots, no sessions").isZero());
    }

    /** A fetch request of session {@code sessionId} at {@code epoch} for "topic-partition" names, offset 0. */
    private static FetchRequestData request(int sessionId, int epoch, String... partitions) {
        FetchRequestData request = new FetchRequestData().setSessionId(sessionId).setSessionEpoch(epoch);
        for (String name : partitions) {
            String topic = name.substring(0, name.lastIndexOf('-'));
            int partition = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
            FetchRequestData.FetchTopic last = request.topics().isEmpty() ? null : request.topics().get(request.topics().size() - 1);
            if (last == null || !last.topic().equals(topic)) {
                last = new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(new ArrayList<>());
                request.topics().add(last);
            }
            last.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(0).setPartitionMaxBytes(100));
        }
        return request;
    }

    /** Reads the context's partitions from the fake log and builds its response. */
    private FetchResponseData answer(Context context) {
        List<Read> reads = new ArrayList<>();
        for (Wanted wanted : context.partitions()) {
            String name = wanted.key().topic() + "-" + wanted.key().partition();
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData().setPartitionIndex(wanted.key().partition())
                    .setHighWatermark(highWatermarks.getOrDefault(name, 0L)).setLastStableOffset(highWatermarks.getOrDefault(name, 0L))
                    .setLogStartOffset(0).setRecords(withData.contains(name) ? SOME_RECORDS : MemoryRecords.EMPTY);
            if (failing.contains(name)) {
                data.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            }
            reads.add(new Read(wanted, data));
        }
        return context.respond(reads);
    }

    private static List<String> names(FetchResponseData response) {
        List<String> names = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                names.add(topic.topic() + "-" + partition.partitionIndex());
            }
        }
        return names;
    }
}
