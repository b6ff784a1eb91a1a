package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {

    @Test
    void shouldTellATopicsPartitionDirsFromAnotherTopicSharingThePrefix() {
        assertThat(PageCache.isPartitionDir("bench-1024b-6p-0", "bench-1024b-6p")).isTrue();
        assertThat(PageCache.isPartitionDir("bench-1024b-6p-12", "bench-1024b-6p")).isTrue();
        assertThat(PageCache.isPartitionDir("bench-1024b-6p-acks1-0", "bench-1024b-6p")).isFalse();
        assertThat(PageCache.isPartitionDir("bench-1024b-6p-", "bench-1024b-6p")).isFalse();
        assertThat(PageCache.isPartitionDir("other-0", "bench-1024b-6p")).isFalse();
    }

    @Test
    void shouldReadEverySegmentFileOfTheTopicAndNothingElse(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("t-0"));
        Files.createDirectories(dataDir.resolve("t-1"));
        Files.createDirectories(dataDir.resolve("t-x-0"));
        Files.write(dataDir.resolve("t-0/00000000000000000000.log"), new byte[3_000_000]);
        Files.write(dataDir.resolve("t-0/00000000000000000000.index"), new byte[100]);
        Files.write(dataDir.resolve("t-1/00000000000000000000.log"), new byte[5]);
        Files.write(dataDir.resolve("t-x-0/00000000000000000000.log"), new byte[7]);

        var files = PageCache.topicLogFiles(dataDir, "t", Long.MAX_VALUE);

        assertThat(files).containsExactly(dataDir.resolve("t-0/00000000000000000000.log"), dataDir.resolve("t-1/00000000000000000000.log"));
        assertThat(PageCache.warm(files)).isEqualTo(3_000_005L);
        assertThat(PageCache.topicLogFiles(dataDir.resolve("missing"), "t", Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void shouldTakeOnlyTheSegmentsHoldingTheFirstBytesOfEachPartition(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("t-0"));
        Files.write(dataDir.resolve("t-0/00000000000000000000.log"), new byte[1000]);
        Files.write(dataDir.resolve("t-0/00000000000000000900.log"), new byte[1000]);
        Files.write(dataDir.resolve("t-0/00000000000000001800.log"), new byte[1000]);

        assertThat(PageCache.topicLogFiles(dataDir, "t", 1500)).containsExactly(
            dataDir.resolve("t-0/00000000000000000000.log"), dataDir.resolve("t-0/00000000000000000900.log"));
        assertThat(PageCache.topicLogFiles(dataDir, "t", 1000)).containsExactly(dataDir.resolve("t-0/00000000000000000000.log"));
    }

    @Test
    void shouldNameTheRuntimeImageClassPathJarsAndStartUpCacheOfAJavaCommand(@TempDir Path dir) throws Exception {
        Path javaBin = dir.resolve("jdk/bin/java");
        Path modules = dir.resolve("jdk/lib/modules");
        Path jar = dir.resolve("a.jar");
        Path cache = dir.resolve("app.aot");
        for (Path file : List.of(javaBin, modules, jar, cache)) {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[1]);
        }

        var files = PageCache.startFiles(List.of(javaBin.toString(), "-Xmx1g", "-XX:AOTCache=" + cache,
            "-cp", jar + ":" + dir.resolve("classes") + ":" + dir.resolve("missing.jar"), "Main", "--config", "x"));

        assertThat(files).containsExactly(modules, cache, jar);
    }

    @Test
    void shouldDropOnlyTheNamedFilesFromThePageCache(@TempDir Path dir) throws Exception {
        // fadvise has no effect on tmpfs, and residency needs util-linux fincore.
        Assumptions.assumeFalse(Files.getFileStore(dir).type().equals("tmpfs"), "temp dir on tmpfs");
        Path dropped = dir.resolve("dropped.log");
        Path kept = dir.resolve("kept.log");
        Files.write(dropped, new byte[1 << 20]);
        Files.write(kept, new byte[1 << 20]);
        PageCache.warm(List.of(dropped, kept));
        Assumptions.assumeTrue(PageCache.residentBytes(List.of(kept)).isPresent(), "fincore missing");

        PageCache.dropFromCache(List.of(dropped));

        assertThat(PageCache.residentBytes(List.of(dropped))).hasValue(0L);
        assertThat(PageCache.residentBytes(List.of(kept))).hasValue(1L << 20);
    }
}
