package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageCacheBallastTest {

    private static final List<String> MEMINFO = List.of(
        "MemTotal:       24683520 kB",
        "MemFree:          446720 kB",
        "MemAvailable:   23801856 kB",
        "Cached:         23220224 kB");

    @Test
    void shouldReadAMeminfoFieldInBytes() {
        assertThat(PageCacheBallast.meminfo(MEMINFO, "MemTotal:")).hasValue(24683520L * 1024);
        assertThat(PageCacheBallast.meminfo(MEMINFO, "MemFree:")).hasValue(446720L * 1024);
    }

    @Test
    void shouldTellAMissingFieldFromAZeroOne() {
        assertThat(PageCacheBallast.meminfo(MEMINFO, "SwapFree:")).isEmpty();
        assertThat(PageCacheBallast.meminfo(List.of("SwapFree:  0 kB"), "SwapFree:")).hasValue(0L);
    }
}
