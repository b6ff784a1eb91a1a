package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void shouldReadVmRssInBytes() {
        assertThat(ProcStats.parseRssBytes("Name:\tjava\nVmHWM:\t  500 kB\nVmRSS:\t  384000 kB\n")).isEqualTo(384_000L * 1024);
    }

    @Test
    void shouldCountCpuFieldsAfterTheLastParenthesisOfTheCommandName() {
        // comm "(my (odd) java)" holds spaces and parentheses; utime=250, stime=50.
        String stat = "1806 (my (odd) java) S 1 1806 1 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 40 0 123 456 789";

        assertThat(ProcStats.parseCpuTicks(stat)).isEqualTo(300);
    }

    @Test
    void shouldSplitMachineTicksIntoBusyAndTotal() {
        ProcStats.MachineTicks ticks = ProcStats.parseMachineTicks("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n");

        assertThat(ticks.totalTicks()).isEqualTo(1000);
        assertThat(ticks.busyTicks()).isEqualTo(150);
    }

    @Test
    void shouldReadTheSoftOpenFilesLimit() {
        String limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             94000                94000                processes
            Max open files            20000                40000                files
            """;

        assertThat(ProcStats.parseOpenFilesLimit(limits)).isEqualTo("20000");
        assertThat(ProcStats.parseOpenFilesLimit("Limit Soft\n")).isEqualTo("unknown");
    }
}
