package io.fjord.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Indexes bring each page in with a positional write before the first mapped write into it
 * (AbstractIndex.prepareAppend). These tests cross many page boundaries, with entries of 8 and of
 * 12 bytes (the latter straddle pages), through trim, reopen, resize and truncation, and check
 * every entry reads back.
 */
class IndexPageInTest {

    private static final int MAX_BYTES = 10 * 1024 * 1024;

    @Test
    void offsetIndexEntriesSurviveTrimReopenResizeAndTruncation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("00000000000000000000.index");
        OffsetIndex index = new OffsetIndex(file, 0, MAX_BYTES);
        for (int i = 0; i < 2_000; i++) {
            index.append(10L * i + 5, 100 * i);
        }
        index.trimToValidSize();
        OffsetIndex reopened = new OffsetIndex(file, 0, MAX_BYTES);
        reopened.resize(MAX_BYTES);
        for (int i = 2_000; i < 3_000; i++) {
            reopened.append(10L * i + 5, 100 * i);
        }
        for (int i = 0; i < 3_000; i++) {
            assertThat(reopened.lookup(10L * i + 7)).isEqualTo(new OffsetIndex.OffsetPosition(10L * i + 5, 100 * i));
        }
        reopened.truncateTo(10L * 1_500);
        for (int i = 1_500; i < 2_600; i++) {
            reopened.append(10L * i + 6, 100 * i + 1);
        }
        assertThat(reopened.lookup(10L * 1_499 + 7)).isEqualTo(new OffsetIndex.OffsetPosition(10L * 1_499 + 5, 100 * 1_499));
        assertThat(reopened.lookup(10L * 2_599 + 7)).isEqualTo(new OffsetIndex.OffsetPosition(10L * 2_599 + 6, 100 * 2_599 + 1));
    }

    @Test
    void timeIndexEntriesThatStraddlePagesReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("00000000000000000000.timeindex");
        TimeIndex index = new TimeIndex(file, 0, MAX_BYTES);
        for (int i = 0; i < 1_500; i++) {
            index.maybeAppend(1_000_000L + i, 3L * i);
        }
        index.trimToValidSize();
        TimeIndex reopened = new TimeIndex(file, 0, MAX_BYTES);
        reopened.resize(MAX_BYTES);
        for (int i = 1_500; i < 2_500; i++) {
            reopened.maybeAppend(1_000_000L + i, 3L * i);
        }
        for (int i = 0; i < 2_500; i++) {
            assertThat(reopened.lookup(1_000_000L + i)).isEqualTo(new TimeIndex.TimestampOffset(1_000_000L + i, 3L * i));
        }
    }
}
