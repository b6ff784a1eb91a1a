package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecordsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random sequences of appends, rolls and clean or crash restarts keep offsets contiguous and data intact. */
class LogPropertiesTest {

    sealed interface Action permits Append, Roll, CleanRestart, CrashRestart {
    }

    record Append(int records, CompressionType compression) implements Action {
    }

    record Roll() implements Action {
    }

    record CleanRestart() implements Action {
    }

    record CrashRestart() implements Action {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> append = Arbitraries.integers().between(1, 6)
            .flatMap(n -> Arbitraries.of(CompressionType.class).map(c -> (Action) new Append(n, c)));
        Arbitrary<Action> action = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, append),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Roll())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new CleanRestart())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new CrashRestart())));
        return action.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void offsetsStayContiguousAndDataSurvivesRestarts(@ForAll("actions") List<Action> actions) throws IOException {
        Path dir = Files.createTempDirectory("fjord-log-props");
        FakeTime time = new FakeTime(START_MS);
        LogConfig config = LogTestSupport.smallSegments(1500);
        List<String> expected = new ArrayList<>();
        LogManager manager = LogTestSupport.manager(dir, time, config);
        try {
            PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, config);
            for (Action action : actions) {
                switch (action) {
                    case Append append -> {
                        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(append.compression());
                        for (int i = 0; i < append.records(); i++) {
                            String value = "v" + expected.size() + "-" + i;
                            builder.append(START_MS + expected.size(), "k", value);
                        }
                        LogAppendResult result = log.appendAsLeader(builder.build(), 0, time.milliseconds());
                        assertThat(result.firstOffset()).isEqualTo(expected.size());
                        for (int i = 0; i < append.records(); i++) {
                            expected.add("v" + result.firstOffset() + "-" + i);
                        }
                        assertThat(result.lastOffset()).isEqualTo(expected.size() - 1);
                    }
                    case Roll roll -> log.roll();
                    case CleanRestart restart -> {
                        manager.shutdown();
                        manager = LogTestSupport.manager(dir, time, config);
                        log = manager.getLog(TP).orElseThrow();
                        assertThat(log.loadStats().segmentsRecovered()).isZero();
                    }
                    case CrashRestart crash -> {
                        manager = LogTestSupport.manager(dir, time, config);
                        log = manager.getLog(TP).orElseThrow();
                        assertThat(log.loadStats().bytesTruncated()).isZero();
                    }
                }
                assertThat(log.logEndOffset()).isEqualTo(expected.size());
            }
            assertThat(readAllValues(log, 0, 200)).isEqualTo(expected);
        } finally {
            manager.shutdown();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
