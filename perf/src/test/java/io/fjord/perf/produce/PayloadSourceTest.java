package io.fjord.perf.produce;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadSourceTest {

    @Test
    void shouldHandOutDifferentInBoundsWindowsOfUppercaseLetters() {
        PayloadSource source = new PayloadSource(1000, 5);
        byte[] pool = source.pool();
        for (byte b : pool) {
            assertThat((char) b).isBetween('A', 'Z');
        }
        int previous = source.nextOffset();
        for (int i = 0; i < 10_000; i++) {
            int offset = source.nextOffset();
            assertThat(offset).isBetween(0, pool.length - 1000);
            assertThat(Arrays.equals(pool, offset, offset + 1000, pool, previous, previous + 1000)).isFalse();
            previous = offset;
        }
    }

    @Test
    void shouldServeValuesLargerThanThePool() {
        PayloadSource source = new PayloadSource(3 * PayloadSource.POOL_BYTES, 5);
        for (int i = 0; i < 10; i++) {
            assertThat(source.nextOffset() + source.recordSizeBytes()).isLessThanOrEqualTo(source.pool().length);
        }
    }

    @Test
    void shouldServeEmptyValues() {
        PayloadSource source = new PayloadSource(0, 5);
        assertThat(source.nextOffset()).isZero();
    }
}
