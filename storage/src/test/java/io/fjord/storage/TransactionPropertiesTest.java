package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.batch;
import static io.fjord.storage.LogTestSupport.idempotent;
import static io.fjord.storage.LogTestSupport.marker;
import static io.fjord.storage.LogTestSupport.records;
import static io.fjord.storage.LogTestSupport.transactional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.record.ControlRecordType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random interleavings of transactional and non-transactional batches, commits, aborts, rolls,
 * high-watermark lag and clean, crash and torn-tail restarts, checked after every step against a
 * model: the last stable offset is min(first offset of every open or not-yet-stable transaction,
 * high watermark); the aborted transactions and every [fetch, upper) query over them match the
 * model's; a read_committed read never returns an offset at or past the LSO. A failure prints the
 * jqwik seed and the shrunk action list; rerun with {@code @Property(seed = "...")}.
 */
class TransactionPropertiesTest {

    private static final int PRODUCERS = 3;
    private static final long PRODUCER_ID_BASE = 1000L;

    sealed interface Action permits TxnData, PlainData, NonTxnFromTxnProducer, EndTxn, Roll, FlushAndCheckpoint, CleanRestart,
        CrashRestart, TornTailRestart {
    }

    /** Appends; {@code advanceHighWatermark = false} leaves the HW behind, as a slow follower would. */
    record TxnData(int producer, int records, boolean advanceHighWatermark) implements Action {
    }

    record PlainData(int records, boolean advanceHighWatermark) implements Action {
    }

    /** An idempotent, non-transactional batch from a transactional producer: INVALID_TXN_STATE while its transaction is open. */
    record NonTxnFromTxnProducer(int producer) implements Action {
    }

    record EndTxn(int producer, boolean commit, boolean advanceHighWatermark) implements Action {
    }

    record Roll() implements Action {
    }

    record FlushAndCheckpoint() implements Action {
    }

    record CleanRestart() implements Action {
    }

    record CrashRestart() implements Action {
    }

    /** Crash with garbage after the last batch; recovery must cut exactly the garbage. */
    record TornTailRestart() implements Action {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> producer = Arbitraries.integers().between(0, PRODUCERS - 1);
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 4);
        Arbitrary<Boolean> advance = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false));
        Arbitrary<Action> txnData = Combinators.combine(producer, count, advance).as(TxnData::new);
        Arbitrary<Action> plainData = Combinators.combine(count, advance).as(PlainData::new);
        Arbitrary<Action> endTxn = Combinators.combine(producer, Arbitraries.of(true, false), advance).as(EndTxn::new);
        Arbitrary<Action> nonTxn = producer.map(NonTxnFromTxnProducer::new);
        return Arbitraries.frequencyOf(
            Tuple.of(10, txnData),
            Tuple.of(5, plainData),
            Tuple.of(6, endTxn),
            Tuple.of(1, nonTxn),
            Tuple.of(1, Arbitraries.just(new Roll())),
            Tuple.of(1, Arbitraries.just(new FlushAndCheckpoint())),
            Tuple.of(1, Arbitraries.just(new CleanRestart())),
            Tuple.of(1, Arbitraries.just(new CrashRestart())),
            Tuple.of(1, Arbitraries.just(new TornTailRestart()))).list().ofMinSize(1).ofMaxSize(50);
    }

    /** What the log should say, computed without storage. */
    private static final class Model {
        long logEndOffset;
        long highWatermark;
        final Map<Integer, Long> openFirstOffsets = new HashMap<>();
        final Map<Integer, Integer> nextSequences = new HashMap<>();
        /** Completed transactions as {firstOffset, markerOffset}: unstable while the marker is at or above the HW. */
        final List<long[]> completed = new ArrayList<>();
        final List<AbortedTxn> aborted = new ArrayList<>();

        long lastStableOffset() {
            long lso = highWatermark;
            for (long first : openFirstOffsets.values()) {
                lso = Math.min(lso, first);
            }
            for (long[] txn : completed) {
                if (txn[1] >= highWatermark) {
                    lso = Math.min(lso, txn[0]);
                }
            }
            return lso;
        }

        Map<Long, Long> openByProducerId() {
            Map<Long, Long> open = new HashMap<>();
            openFirstOffsets.forEach((producer, first) -> open.put(PRODUCER_ID_BASE + producer, first));
            return open;
        }

        List<AbortedTransaction> aborted(long fetchOffset, long upperBoundOffset) {
            return aborted.stream().filter(t -> t.lastOffset() >= fetchOffset && t.firstOffset() < upperBoundOffset)
                .map(AbortedTxn::asAbortedTransaction).toList();
        }
    }

    private static final class Harness {
        final Path dir;
        final FakeTime time = new FakeTime(START_MS);
        final LogConfig config = LogTestSupport.smallSegments(1024);
        final Model model = new Model();
        LogManager manager;
        PartitionLog log;

        Harness(Path dir) {
            this.dir = dir;
            reopen();
        }

        void reopen() {
            manager = LogTestSupport.manager(dir, time, config);
            log = manager.getOrCreateLog(TP, TOPIC_ID, config);
            // Single node: a loaded log's high watermark is its log end offset.
            model.highWatermark = model.logEndOffset;
        }

        LogAppendResult append(MemoryRecords records, AppendOrigin origin, boolean advanceHighWatermark) {
            LogAppendResult result = log.appendAsLeader(records, 0, time.milliseconds(), origin);
            assertThat(result.firstOffset()).isEqualTo(model.logEndOffset);
            model.logEndOffset = result.lastOffset() + 1;
            if (advanceHighWatermark) {
                log.updateHighWatermark(log.logEndOffset());
                model.highWatermark = model.logEndOffset;
            }
            return result;
        }

        int takeSequences(int producer, int count) {
            int sequence = model.nextSequences.getOrDefault(producer, 0);
            model.nextSequences.put(producer, sequence + count);
            return sequence;
        }

        void apply(Action action) throws IOException {
            switch (action) {
                case TxnData data -> {
                    long producerId = PRODUCER_ID_BASE + data.producer();
                    MemoryRecords records = transactional(producerId, (short) 0, takeSequences(data.producer(), data.records()), START_MS,
                        values(data.records()));
                    LogAppendResult result = append(records, AppendOrigin.CLIENT, data.advanceHighWatermark());
                    model.openFirstOffsets.putIfAbsent(data.producer(), result.firstOffset());
                }
                case PlainData data -> append(batch(START_MS, values(data.records())), AppendOrigin.CLIENT, data.advanceHighWatermark());
                case NonTxnFromTxnProducer nonTxn -> appendNonTransactional(nonTxn.producer());
                case EndTxn end -> endTxn(end);
                case Roll roll -> log.roll();
                case FlushAndCheckpoint flush -> {
                    log.flush();
                    manager.checkpoint();
                }
                case CleanRestart restart -> {
                    manager.shutdown();
                    reopen();
                    assertThat(log.loadStats().batchesReplayed()).isZero();
                }
                case CrashRestart crash -> reopen();
                case TornTailRestart torn -> {
                    Path active = LogTestSupport.segmentFile(dir, log.segmentBaseOffsets().getLast(), LogSegment.LOG_SUFFIX);
                    try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 70, 1, 2, 3}), channel.size());
                    }
                    reopen();
                    assertThat(log.loadStats().bytesTruncated()).isEqualTo(15);
                }
            }
        }

        private void appendNonTransactional(int producer) {
            long producerId = PRODUCER_ID_BASE + producer;
            int sequence = model.nextSequences.getOrDefault(producer, 0);
            MemoryRecords records = idempotent(producerId, (short) 0, sequence, START_MS, "non-txn");
            if (model.openFirstOffsets.containsKey(producer)) {
                assertThatThrownBy(() -> log.appendAsLeader(records, 0, time.milliseconds()))
                    .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.INVALID_TXN_STATE);
                return;
            }
            takeSequences(producer, 1);
            append(records, AppendOrigin.CLIENT, true);
        }

        private void endTxn(EndTxn end) {
            long producerId = PRODUCER_ID_BASE + end.producer();
            ControlRecordType type = end.commit() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
            LogAppendResult result = append(marker(producerId, (short) 0, type, 0), AppendOrigin.COORDINATOR, end.advanceHighWatermark());
            Long first = model.openFirstOffsets.remove(end.producer());
            if (first == null) {
                return;
            }
            model.completed.add(new long[] {first, result.firstOffset()});
            if (!end.commit()) {
                long lastStableOffset = model.openFirstOffsets.values().stream().min(Long::compare).orElse(result.firstOffset() + 1);
                model.aborted.add(new AbortedTxn(producerId, first, result.firstOffset(), lastStableOffset));
            }
        }

        void checkInvariants() {
            assertThat(log.logEndOffset()).as("log end offset").isEqualTo(model.logEndOffset);
            assertThat(log.highWatermark()).as("high watermark").isEqualTo(model.highWatermark);
            assertThat(log.lastStableOffset()).as("last stable offset").isEqualTo(model.lastStableOffset());
            Map<Long, Long> open = new HashMap<>();
            for (ProducerStateEntry entry : log.activeProducers()) {
                if (entry.currentTxnStartOffset() >= 0) {
                    open.put(entry.producerId(), entry.currentTxnStartOffset());
                }
            }
            assertThat(open).as("open transactions").isEqualTo(model.openByProducerId());
            long end = model.logEndOffset;
            assertThat(log.collectAbortedTransactions(0, end + 1)).as("all aborted").isEqualTo(model.aborted(0, end + 1));
            long middle = end / 2;
            assertThat(log.collectAbortedTransactions(middle, middle + 1)).as("aborted at %d", middle).isEqualTo(model.aborted(middle, middle + 1));
            checkReadCommittedStopsAtTheLastStableOffset();
        }

        private void checkReadCommittedStopsAtTheLastStableOffset() {
            long lso = log.lastStableOffset();
            long fetchOffset = 0;
            while (fetchOffset < lso) {
                LogReadResult result = log.read(fetchOffset, 300, true, FetchIsolation.TXN_COMMITTED);
                List<Record> read = records(result.records());
                assertThat(read).as("read_committed at %d below LSO %d", fetchOffset, lso).isNotEmpty();
                long next = read.getLast().offset() + 1;
                assertThat(next).as("read_committed end").isLessThanOrEqualTo(lso);
                assertThat(result.abortedTransactions()).as("aborted list of read at %d", fetchOffset).isEqualTo(model.aborted(fetchOffset, next));
                fetchOffset = next;
            }
            assertThat(log.read(lso, 300, true, FetchIsolation.TXN_COMMITTED).records().sizeInBytes()).isZero();
        }

        void checkEveryRange() {
            long end = model.logEndOffset;
            for (long fetchOffset = 0; fetchOffset <= end; fetchOffset += 3) {
                for (long upperBound = fetchOffset; upperBound <= end + 1; upperBound += 2) {
                    assertThat(log.collectAbortedTransactions(fetchOffset, upperBound))
                        .as("aborted in [%d, %d)", fetchOffset, upperBound).isEqualTo(model.aborted(fetchOffset, upperBound));
                }
            }
        }
    }

    private static String[] values(int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = "value-" + i;
        }
        return values;
    }

    @Property(tries = 200)
    void lastStableOffsetAndAbortedTransactionsMatchTheModel(@ForAll("actions") List<Action> actions) throws IOException {
        Path dir = Files.createTempDirectory("fjord-txn-props");
        Harness harness = new Harness(dir);
        try {
            for (Action action : actions) {
                harness.apply(action);
                harness.checkInvariants();
            }
            harness.checkEveryRange();
        } finally {
            harness.manager.shutdown();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
