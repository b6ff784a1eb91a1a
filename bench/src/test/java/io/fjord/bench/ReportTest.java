package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final Figure THROUGHPUT = new Figure("Producer", "100 B, 1 partition, acks=1", "throughput", "MB/s",
        Figure.Better.HIGHER, Figure.Bar.ratioAtLeast(1.3));

    @Test
    void shouldTakeMedianOfOddAndEvenCounts() {
        assertThat(Report.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Report.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Report.median(List.of())).isNaN();
    }

    @Test
    void shouldShowMediansRatioAndWhetherBarIsMet() {
        List<Sample> samples = List.of(
            new Sample(1, "kafka", THROUGHPUT, 100), new Sample(1, "fjord", THROUGHPUT, 150),
            new Sample(2, "kafka", THROUGHPUT, 110), new Sample(2, "fjord", THROUGHPUT, 140),
            new Sample(3, "kafka", THROUGHPUT, 90), new Sample(3, "fjord", THROUGHPUT, 120));

        String markdown = Report.markdown("t", List.of(), samples, List.of());

        assertThat(markdown).contains("| 100 B, 1 partition, acks=1 | throughput ↑ | MB/s | 100 (90.0–110) | 140 (120–150) | 1.40 | ≥ 1.3×: met | 3 |");
    }

    @Test
    void shouldMarkBarNotMetAndLeaveRatioEmptyWithoutKafka() {
        Figure startup = new Figure("Broker", "start-up", "ready", "ms", Figure.Better.LOWER, Figure.Bar.fjordAtMost(500));

        String markdown = Report.markdown("t", List.of(), List.of(new Sample(1, "fjord", startup, 1313)), List.of("a note"));

        assertThat(markdown).contains("| start-up | ready ↓ | ms | – | 1313 | – | Fjord ≤ 500: **not met** | 1 |").contains("- a note");
    }

    @Test
    void shouldJudgeFjordAtLeastBarOnFjordsMedianAlone() {
        Figure ratio = new Figure("Partitions", "100 B: 1,000 / 6", "throughput ratio", "×", Figure.Better.HIGHER, Figure.Bar.fjordAtLeast(0.8));

        String markdown = Report.markdown("t", List.of(), List.of(new Sample(1, "kafka", ratio, 0.4), new Sample(1, "fjord", ratio, 0.82)),
            List.of());

        assertThat(markdown).contains("| 100 B: 1,000 / 6 | throughput ratio ↑ | × | 0.400 | 0.820 | 2.05 | Fjord ≥ 0.8: met | 1 |");
        assertThat(Figure.Bar.fjordAtLeast(0.8).met(Double.NaN, 0.79)).contains(false);
        assertThat(Figure.Bar.decode(Figure.Bar.fjordAtLeast(0.8).encode())).isEqualTo(Figure.Bar.fjordAtLeast(0.8));
    }

    @Test
    void shouldRoundTripSamplesThroughTsv() {
        Sample sample = new Sample(2, "fjord", THROUGHPUT, 12.5);

        assertThat(Sample.fromTsv(sample.toTsv())).isEqualTo(sample);
    }

    @Test
    void shouldWriteTsvThatReadsBack(@TempDir Path dir) throws IOException {
        List<Sample> samples = List.of(new Sample(1, "kafka", THROUGHPUT, 10), new Sample(1, "fjord", THROUGHPUT, 14));

        Sample.writeTsv(samples, dir.resolve("out/results.tsv"));

        assertThat(Report.readTsv(dir.resolve("out/results.tsv"))).isEqualTo(samples);
    }

    @Test
    void shouldReplaceOnlyItsOwnSection(@TempDir Path dir) throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\nintro\n\n<!-- BEGIN a -->\nold a\n<!-- END a -->\n\ntail\n");

        Report.writeSection(doc, "a", "new a\n");
        Report.writeSection(doc, "b", "new b\n");

        assertThat(Files.readString(doc)).isEqualTo(
            "# Benchmarks\n\nintro\n\n<!-- BEGIN a -->\nnew a\n<!-- END a -->\n\ntail\n\n<!-- BEGIN b -->\nnew b\n<!-- END b -->\n");
    }
}
