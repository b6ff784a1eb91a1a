package io.fjord.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEndOffsetForLikeKafka() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        assertThat(cache.endOffsetFor(0, 10)).isEmpty();
        cache.assign(2, 10);
        cache.assign(4, 20);
        cache.assign(4, 25);
        cache.assign(7, 30);
        assertThat(cache.endOffsetFor(1, 50)).contains(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(2, 50)).contains(new EpochEndOffset(2, 20));
        assertThat(cache.endOffsetFor(5, 50)).contains(new EpochEndOffset(4, 30));
        assertThat(cache.endOffsetFor(7, 50)).contains(new EpochEndOffset(7, 50));
        assertThat(cache.endOffsetFor(8, 50)).isEmpty();
        assertThat(cache.endOffsetFor(-1, 50)).isEmpty();
    }

    @Test
    void shouldReplaceEntriesAnAssignmentContradicts() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(3, 10);
        cache.assign(2, 5);
        assertThat(cache.entries()).isEqualTo(Map.of(1, 0L, 2, 5L));
    }

    @Test
    void shouldTruncateFromStartAndEndAndPersist() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        cache.truncateFromStart(15);
        assertThat(cache.entries()).isEqualTo(Map.of(2, 15L, 3, 20L));
        cache.truncateFromEnd(20);
        assertThat(cache.entries()).isEqualTo(Map.of(2, 15L));
        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCache.FILE_NAME))).containsExactly("0", "1", "2 15");
        assertThat(LeaderEpochCache.load(dir).entries()).isEqualTo(Map.of(2, 15L));
    }

    @Test
    void shouldRejectAMalformedCheckpoint() throws Exception {
        Files.writeString(dir.resolve(LeaderEpochCache.FILE_NAME), "0\n2\n1 0\n");
        assertThatThrownBy(() -> LeaderEpochCache.load(dir)).isInstanceOf(IOException.class);
    }
}
