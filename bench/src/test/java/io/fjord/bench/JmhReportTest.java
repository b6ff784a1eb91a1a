package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhReportTest {

    private static final String HEADER =
        "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: compression\",\"Param: recordSize\"";

    @Test
    void shouldListOnlyEachRowsOwnParametersSoRowsThatDifferByOneNeverLookAlike() {
        List<JmhReport.Row> rows = JmhReport.parse(List.of(HEADER,
            "\"io.fjord.bench.jmh.RecordBatchCodecBenchmark.build\",\"thrpt\",1,5,45977.5,1200.25,\"ops/s\",NONE,100",
            "\"io.fjord.bench.jmh.RecordBatchCodecBenchmark.build\",\"thrpt\",1,5,130438.0,900.0,\"ops/s\",NONE,1024",
            "\"io.fjord.storage.OffsetIndexBenchmark.lookup\",\"avgt\",1,5,20.04,0.5,\"ns/op\",,"));

        assertThat(rows).extracting(JmhReport.Row::params).containsExactly("compression=NONE, recordSize=100",
            "compression=NONE, recordSize=1024", "");
        assertThat(rows.get(2).benchmark()).isEqualTo("OffsetIndexBenchmark.lookup");
        assertThat(rows.get(2).score()).isEqualTo(20.04);
    }

    @Test
    void shouldShowTimePerOperationForThroughputRowsOnly() {
        assertThat(JmhReport.timePerOp(new JmhReport.Row("A.b", "thrpt", "", 2_450_000, 1, "ops/s"))).isEqualTo("408 ns");
        assertThat(JmhReport.timePerOp(new JmhReport.Row("A.b", "thrpt", "", 46_705, 1, "ops/s"))).isEqualTo("21.4 µs");
        assertThat(JmhReport.timePerOp(new JmhReport.Row("A.b", "thrpt", "", 400, 1, "ops/s"))).isEqualTo("2.50 ms");
        assertThat(JmhReport.timePerOp(new JmhReport.Row("A.b", "avgt", "", 20, 1, "ns/op"))).isEmpty();
    }

    @Test
    void shouldRenderATableWithTheMetaLinesAboveIt() {
        String markdown = JmhReport.markdown("JMH run", List.of("2 cores"),
            List.of(new JmhReport.Row("RecordBatchCrcBenchmark.validateCrc", "thrpt", "batchBytes=16384", 2_450_977.1, 12_345.6, "ops/s")));

        assertThat(markdown).startsWith("### JMH run\n\n- 2 cores\n")
            .contains("| RecordBatchCrcBenchmark.validateCrc | batchBytes=16384 | 2,450,977 | 12,346 | ops/s | 408 ns |");
    }

    @Test
    void shouldReadQuotedFieldsWithCommasAndDoubledQuotes() {
        assertThat(JmhReport.csvFields("\"a,b\",\"say \"\"hi\"\"\",,3")).containsExactly("a,b", "say \"hi\"", "", "3");
    }

    @Test
    void shouldRefuseACsvWithoutJmhsColumns() {
        assertThatThrownBy(() -> JmhReport.parse(List.of("\"Name\",\"Value\""))).hasMessageContaining("Benchmark");
    }
}
