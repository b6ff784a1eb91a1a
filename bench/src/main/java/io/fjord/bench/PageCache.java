package io.fjord.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes a log's files cold before a read, or warm, and tells how much of them the page cache holds (Linux).
 * Two ways to evict, tried in this order by {@code auto}:
 * <ul>
 *   <li>{@link Method#DROP_CACHES}: {@code sync}, then {@code 1} into {@code /proc/sys/vm/drop_caches}
 *       — every clean page-cache page on the machine (needs root; some sandboxes refuse it);</li>
 *   <li>{@link Method#FADVISE}: {@code sync}, then {@code dd if=FILE iflag=nocache count=0} per file,
 *       which calls {@code posix_fadvise(POSIX_FADV_DONTNEED)} on the whole file.</li>
 * </ul>
 * Residency comes from util-linux {@code fincore} (mincore(2)) when it is installed. Stateless;
 * driver thread.
 */
final class PageCache {

    enum Method {
        DROP_CACHES("sync + echo 1 > /proc/sys/vm/drop_caches"),
        FADVISE("sync + dd iflag=nocache count=0 on every file of the partition (posix_fadvise DONTNEED)");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private static final Path DROP_CACHES_FILE = Path.of("/proc/sys/vm/drop_caches");
    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    private PageCache() {
    }

    /** Evicts the files under {@code dir} ({@code how}: auto, drop-caches or fadvise) and returns the method that did it. */
    static Method evict(Path dir, String how) throws IOException, InterruptedException {
        if (!how.equals("fadvise")) {
            run(List.of("sync"));
            try {
                Files.writeString(DROP_CACHES_FILE, "1");
                return Method.DROP_CACHES;
            } catch (IOException e) {
                if (how.equals("drop-caches")) {
                    throw new IOException("cannot write " + DROP_CACHES_FILE + " (" + e + "); use --evict fadvise", e);
                }
                Compare.log("  " + DROP_CACHES_FILE + " not writable (" + e.getMessage() + "); evicting per file with posix_fadvise");
            }
        }
        dropFromCache(files(dir));
        return Method.FADVISE;
    }

    /**
     * Asks the kernel to drop {@code files}' clean pages ({@code posix_fadvise(POSIX_FADV_DONTNEED)}
     * through {@code dd iflag=nocache count=0}, one file at a time), after a {@code sync}: dirty
     * pages would stay. Affects only these files, unlike {@code drop_caches}.
     */
    static void dropFromCache(List<Path> files) throws IOException, InterruptedException {
        run(List.of("sync"));
        for (Path file : files) {
            run(List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"));
        }
    }

    /**
     * Reads {@code files} through once so that the page cache holds them, and returns the bytes read.
     * A read-back benchmark is meant to measure the broker serving from memory, but these machines
     * reclaim page-cache pages left untouched for about 30 s (a DAMON {@code pageout} scheme), so a
     * topic written a minute before its read comes back from the disk at a fraction of the speed.
     */
    static long warm(List<Path> files) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        for (Path file : files) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                int read;
                while ((read = channel.read(buffer.clear())) > 0) {
                    total += read;
                }
            }
        }
        return total;
    }

    /**
     * The segment files ({@code *.log}) of every partition of {@code topic} under a broker's data dir,
     * oldest first per partition, taking from each partition only as many as hold its first
     * {@code bytesPerPartition} bytes ({@code Long.MAX_VALUE}: all): a read from the beginning
     * needs those, and later runs may have appended gigabytes more.
     */
    static List<Path> topicLogFiles(Path dataDir, String topic, long bytesPerPartition) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dataDir)) {
            for (Path dir : dirs.filter(d -> isPartitionDir(d.getFileName().toString(), topic)).sorted().toList()) {
                long taken = 0;
                // Segment files are named by base offset, zero-padded: name order is offset order.
                for (Path file : files(dir).stream().filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    if (taken >= bytesPerPartition) {
                        break;
                    }
                    files.add(file);
                    taken += Files.size(file);
                }
            }
        }
        return files;
    }

    /**
     * The files a JVM started with {@code command} reads as it starts: the runtime's class image
     * ({@code lib/modules} of the JDK the java executable belongs to), every class path entry that
     * is a file, and a CDS archive or AOT cache named by {@code -XX:SharedArchiveFile=} or
     * {@code -XX:AOTCache=}. Read in before a start-up is timed, for the same reason as
     * {@link #warm}: after a long round these machines have paged them out, and the figure would
     * measure the disk.
     */
    static List<Path> startFiles(List<String> command) {
        List<Path> files = new ArrayList<>();
        Path java = Path.of(command.get(0));
        if (java.getParent() != null && java.getParent().getParent() != null) {
            files.add(java.getParent().getParent().resolve("lib").resolve("modules"));
        }
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if ((arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) && i + 1 < command.size()) {
                for (String entry : command.get(++i).split(":")) {
                    if (!entry.isEmpty()) {
                        files.add(Path.of(entry));
                    }
                }
            } else if (arg.startsWith("-XX:AOTCache=")) {
                files.add(Path.of(arg.substring("-XX:AOTCache=".length())));
            } else if (arg.startsWith("-XX:SharedArchiveFile=")) {
                files.add(Path.of(arg.substring("-XX:SharedArchiveFile=".length())));
            }
        }
        return files.stream().filter(Files::isRegularFile).toList();
    }

    /** True for {@code topic-N}, N a partition number, and not for another topic sharing the prefix. */
    static boolean isPartitionDir(String name, String topic) {
        if (!name.startsWith(topic + "-") || name.length() == topic.length() + 1) {
            return false;
        }
        return name.substring(topic.length() + 1).chars().allMatch(Character::isDigit);
    }

    /** Bytes of {@code files} resident in the page cache; empty when fincore is missing, fails, or there are no files. */
    static OptionalLong residentBytes(List<Path> files) throws InterruptedException {
        if (files.isEmpty()) {
            return OptionalLong.empty();
        }
        List<String> command = new ArrayList<>(List.of("fincore", "--bytes", "--noheadings", "--raw", "--output", "RES"));
        files.forEach(f -> command.add(f.toString()));
        try {
            return OptionalLong.of(parseFincoreBytes(run(command)));
        } catch (IOException | NumberFormatException e) {
            Compare.log("  page-cache residency unknown: " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** Sums {@code fincore --bytes --noheadings --raw --output RES}: one number per file, one file a line. */
    static long parseFincoreBytes(String output) {
        long total = 0;
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                total += Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        return total;
    }

    /** The regular files under {@code dir}, or none when it does not exist. */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Runs a short command and returns what it printed; throws on a non-zero exit. Output is small (a line per file). */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with " + process.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
