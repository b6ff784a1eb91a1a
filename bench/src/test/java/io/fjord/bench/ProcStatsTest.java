package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

    private static final String MEMINFO = """
        MemTotal:       24683520 kB
        MemFree:          446720 kB
        MemAvailable:   23801856 kB
        Cached:         23220224 kB
        """;

    @Test
    void shouldReadAMeminfoFieldInBytes() {
        assertThat(ProcStats.parseKbField(MEMINFO, "MemTotal:")).hasValue(24683520L * 1024);
        assertThat(ProcStats.parseKbField(MEMINFO, "MemFree:")).hasValue(446720L * 1024);
    }

    @Test
    void shouldTellAMissingMeminfoFieldFromAZeroOne() {
        assertThat(ProcStats.parseKbField(MEMINFO, "SwapFree:")).isEmpty();
        assertThat(ProcStats.parseKbField("SwapFree:  0 kB\n", "SwapFree:")).hasValue(0L);
    }

    @Test
    void shouldReadVmRssInBytes() {
        assertThat(ProcStats.parseRssBytes("Name:\tjava\nVmHWM:\t  500 kB\nVmRSS:\t  384000 kB\n")).isEqualTo(384_000L * 1024);
    }

    @Test
    void shouldCountCpuFieldsAfterTheLastParenthesisOfTheCommandName() {
        // comm "(my (odd) java)" holds spaces and parentheses; utime=250, stime=50.
        String stat = "1806 (my (odd) java) S 1 1806 1 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 40 0 123 456 789";

        assertThat(ProcStats.parseCpuTicks(stat)).isEqualTo(300);
        assertThat(ProcStats.parseUserAndSystemTicks(stat)).containsExactly(250, 50);
    }

    @Test
    void shouldReadTheRunQueueWaitFromSchedstat() {
        assertThat(ProcStats.parseRunQueueDelayNs("233106 82290 2\n")).isEqualTo(82290);
    }

    @Test
    void shouldTellTheKernelsShareOfAProcessesCpuBetweenTwoReadings() {
        ProcStats.ProcessCpu used = new ProcStats.ProcessCpu(3.5, 10.0).since(new ProcStats.ProcessCpu(1.5, 2.0));

        assertThat(used.userSeconds()).isEqualTo(2.0);
        assertThat(used.systemSeconds()).isEqualTo(8.0);
        assertThat(used.totalSeconds()).isEqualTo(10.0);
    }

    @Test
    void shouldSplitMachineTicksIntoBusyAndTotal() {
        ProcStats.MachineTicks ticks = ProcStats.parseMachineTicks("cpu  100 0 50 800 50 0 0 20 0 0\ncpu0 1 2 3\n");

        assertThat(ticks.totalTicks()).isEqualTo(1020);
        assertThat(ticks.busyTicks()).as("steal is not this machine's work").isEqualTo(150);
        assertThat(ticks.stealTicks()).isEqualTo(20);
        assertThat(ticks.stealCoresSince(new ProcStats.MachineTicks(0, 0, 0), 0.1)).isEqualTo(2.0);
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

    @Test
    void shouldSumDiskActivityOverDevicesWithAndWithoutDiscardFields() {
        // vda: a 4.18+ line (17 counters after the name); sdb: an older line (11 counters); a short line is skipped.
        String stats = """
             254       0 vda 3445761 161286 344902802 18504291 5394408 552928 886167576 18906791 2 1998096 37831455 927150 249 849058736 283556 1556498 136815
               8      16 sdb 10 0 80 5 20 0 400 9 1 12 14
               7       0 loop0 1 2
            """;

        ProcStats.DiskActivity activity = ProcStats.parseDiskActivity(stats);

        assertThat(activity).isEqualTo(new ProcStats.DiskActivity(886_167_576L + 400, 849_058_736L));
    }

    @Test
    void shouldCallTheDiskQuietWithAFewKilobytesWrittenButNoDiscard() {
        ProcStats.DiskActivity before = new ProcStats.DiskActivity(100, 50);

        assertThat(new ProcStats.DiskActivity(100, 50).quietSince(before)).isTrue();
        assertThat(new ProcStats.DiskActivity(100 + 256, 50).quietSince(before)).isTrue();
        assertThat(new ProcStats.DiskActivity(100 + 257, 50).quietSince(before)).isFalse();
        assertThat(new ProcStats.DiskActivity(100, 58).quietSince(before)).isFalse();
    }
}
