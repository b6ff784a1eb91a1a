package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pure parts of the scale cases: many/few-partition ratios, the free-space check, the page-cache and background-tool parsers. */
class ScaleCasesTest {

    @Test
    void shouldDivideManyPartitionFiguresByFewPartitionFigures() {
        ScaleContext.ProducerRun few = producerRun(20.0, 1_000_000, 100, 2.0);
        ScaleContext.ProducerRun many = producerRun(15.0, 1_000_000, 100, 3.0);

        assertThat(few.cpuSecondsPerGb()).isEqualTo(20.0);
        assertThat(PartitionCountCase.ratio(few.summary().mbPerSec(), many.summary().mbPerSec())).hasValue(0.75);
        assertThat(PartitionCountCase.ratio(few.cpuSecondsPerGb(), many.cpuSecondsPerGb())).hasValue(1.5);
    }

    @Test
    void shouldGiveAFigureRatioOnlyWhenBothRunsGaveOne() {
        assertThat(PartitionCountCase.ratio(400.0, 300.0)).hasValue(0.75);
        assertThat(PartitionCountCase.ratio(null, 300.0)).isEmpty();
        assertThat(PartitionCountCase.ratio(400.0, null)).isEmpty();
        assertThat(PartitionCountCase.ratio(0.0, 300.0)).isEmpty();
    }

    @Test
    void shouldAskForTwoAndAHalfTimesTheDataInFreeSpace() {
        Path dir = Path.of("/data");

        assertThat(LongReadCase.freeSpaceProblem(50_000_000_000L, 20_000_000_000L, dir)).isEmpty();
        assertThat(LongReadCase.freeSpaceProblem(49_000_000_000L, 20_000_000_000L, dir)).hasValueSatisfying(message -> assertThat(message)
            .contains("needs 50.0 GB free under /data").contains("49.0 GB are free").contains("--read-gb"));
    }

    @Test
    void shouldSumFincoreResidentBytes() {
        assertThat(PageCache.parseFincoreBytes("1073741824\n4096\n\n")).isEqualTo(1_073_745_920L);
        assertThat(PageCache.parseFincoreBytes("")).isZero();
    }

    @Test
    void shouldOnlyOfferCompleteLinesOfARunningTool() {
        assertThat(BackgroundTool.completeLines("RESULT connections=5000 opened=5000\nFINAL answ")).isEqualTo("RESULT connections=5000 opened=5000\n");
        assertThat(BackgroundTool.completeLines("RESULT connec")).isEmpty();
    }

    private static ScaleContext.ProducerRun producerRun(double mbPerSec, long records, int size, double brokerCpuSeconds) {
        ToolOutputs.ProducerSummary summary = new ToolOutputs.ProducerSummary(records, 0, mbPerSec, 0, 0, 0, 0, 0, 0);
        ScaleContext.ToolRun run = new ScaleContext.ToolRun(new ChildProcess.Result(0, "", 10.0, false), brokerCpuSeconds, 1.0);
        return new ScaleContext.ProducerRun(summary, run, records, size);
    }
}
