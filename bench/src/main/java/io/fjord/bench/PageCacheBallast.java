package io.fjord.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Keeps the machine's page cache full of clean, reclaimable pages before every timed run, so that
 * a broker's log writes recycle page-cache pages, as they do on a broker host in service, instead of
 * taking free memory (Linux, {@code /proc/meminfo}).
 *
 * <p>Why: on these virtual machines memory the guest frees is handed back to the hypervisor within
 * seconds (free page reporting), and the next write into it costs the writer 1.4–2.4 CPU s per GB of
 * kernel time, against 0.13–0.4 s for a page the kernel recycles from its page cache (by hand,
 * sixteenth session: 4 GB of 16,000-byte writes to a new file, fresh memory vs recycled). Every
 * round deletes a data dir of many GB, so without this each broker's writes land in fresh memory,
 * and that cost, the same for both brokers and no broker's own, is most of their "CPU per GB
 * ingested" at 1 KiB. A host in service has no free memory to speak of: its page cache holds old
 * log segments, and every write evicts one of them.
 *
 * <p>How: a ballast file in the work dir, at most the size of the machine's memory. {@link #topUp}
 * writes it from a cursor that wraps around (the oldest ballast pages, the first the kernel evicts,
 * are rewritten first) until free memory is down to {@link #TARGET_FREE_BYTES}, then forces it to
 * disk, so the pages are clean and the kernel reclaims them without writeback when a broker writes.
 * A top-up can evict a topic written minutes before (the kernel reclaims its oldest pages first);
 * consumer runs read their topic back in first anyway ({@link PageCache#warm}, for DAMON's sake),
 * and the top-up after that warm-up evicts older ballast, not the topic. Driver thread only.
 */
final class PageCacheBallast {

    /** Free memory left after a top-up: a little above the kernel's high watermark (~115 MB at 24 GB). */
    static final long TARGET_FREE_BYTES = 384L << 20;
    /** Disk space the runs themselves need beside the ballast (a broker round's data dir reaches ~20 GB). */
    static final long DISK_RESERVE_BYTES = 40L << 30;
    private static final long MIN_BALLAST_BYTES = 2L << 30;
    private static final int CHUNK_BYTES = 8 << 20;
    private static final int CHUNKS_PER_CHECK = 8;
    private static final long SLACK_BYTES = 256L << 20;
    private static final int PASSES = 3;

    private final Path file;
    private final long sizeBytes;
    /** Whether the disk made the ballast smaller than memory: only then can a whole pass over it leave memory free. */
    private final boolean shrunk;
    private final ByteBuffer chunk;
    private long cursor;
    /** The most free memory a top-up left behind after writing every ballast page: 0 while the ballast filled memory. */
    private long freeLeftByWholeBallast;

    private PageCacheBallast(Path file, long sizeBytes, boolean shrunk) {
        this.file = file;
        this.sizeBytes = sizeBytes;
        this.shrunk = shrunk;
        this.chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
        while (chunk.hasRemaining()) {
            chunk.put((byte) 'b');
        }
    }

    /**
     * A ballast in {@code dir} as large as the machine's memory, smaller when the disk cannot spare that
     * beside {@link #DISK_RESERVE_BYTES}; empty when this is not Linux or the disk has not
     * {@link #MIN_BALLAST_BYTES} to spare (the reason is logged).
     */
    static Optional<PageCacheBallast> create(Path dir) throws IOException {
        OptionalLong memTotal = ProcStats.meminfoBytes("MemTotal:");
        if (memTotal.isEmpty()) {
            Compare.log("page cache: /proc/meminfo unreadable; brokers write into whatever memory is free");
            return Optional.empty();
        }
        Files.createDirectories(dir);
        long spare = Files.getFileStore(dir).getUsableSpace() - DISK_RESERVE_BYTES;
        long size = Math.min(memTotal.getAsLong(), spare) / CHUNK_BYTES * CHUNK_BYTES;
        if (size < MIN_BALLAST_BYTES) {
            Compare.log(String.format(Locale.ROOT, "page cache: only %.1f GB of disk to spare for a ballast; brokers write into free memory",
                Math.max(0, spare) / 1e9));
            return Optional.empty();
        }
        boolean shrunk = size < memTotal.getAsLong() / CHUNK_BYTES * CHUNK_BYTES;
        if (shrunk) {
            Compare.log(String.format(Locale.ROOT, "page cache: the disk can spare only %.1f GB for a ballast against %.1f GB "
                + "of memory (%.0f GB kept free for the runs); the page cache will be partly full — free some disk for a "
                + "full one",
                size / 1e9, memTotal.getAsLong() / 1e9, DISK_RESERVE_BYTES / 1e9));
        }
        Path file = dir.resolve("page-cache-ballast");
        // A run stopped with Ctrl-C leaves no ballast of many GB behind.
        file.toFile().deleteOnExit();
        return Optional.of(new PageCacheBallast(file, size, shrunk));
    }

    /** The report's line on how the page cache was kept. */
    static String describe(Optional<PageCacheBallast> ballast) {
        return ballast.map(b -> b.freeLeftByWholeBallast > 0
                ? String.format(Locale.ROOT, "page cache: partly full — the disk could spare a %.1f GB ballast, too small "
                    + "to fill memory: after a top-up up to %d MB stayed free, and the brokers' writes took some of it "
                    + "(PageCacheBallast)",
                    b.sizeBytes / 1e9, b.freeLeftByWholeBallast >> 20)
                : String.format(Locale.ROOT, "page cache: full — before every timed run free memory was filled to %d MB "
                    + "with a clean ballast file (%.1f GB at most), so the brokers' writes recycled page-cache pages "
                    + "(PageCacheBallast)",
                    TARGET_FREE_BYTES >> 20, b.sizeBytes / 1e9))
            .orElse("page cache: as-is — the brokers' writes took whatever memory was free");
    }

    /**
     * Writes ballast until free memory is at {@link #TARGET_FREE_BYTES}, then makes it clean; again
     * (at most {@link #PASSES} times) while the kernel's reclaim during the writeback freed more
     * than {@link #SLACK_BYTES} behind it.
     */
    void topUp() throws IOException {
        long startNs = System.nanoTime();
        long written = 0;
        boolean cannotFill = false;
        for (int pass = 0; pass < PASSES && freeBytes() > TARGET_FREE_BYTES + SLACK_BYTES; pass++) {
            long wrote = fill();
            written += wrote;
            if (shrunk && wrote >= sizeBytes && freeBytes() > TARGET_FREE_BYTES + SLACK_BYTES) {
                // Every page of a ballast smaller than memory was written and memory is still free: more passes would
                // only rewrite it (47 GB per top-up of an 8 GB ballast, ~30 s before every timed run, once the
                // workspace's disk had filled up). A memory-sized ballast repeats as before: the kernel may still be
                // reclaiming behind it.
                cannotFill = true;
                freeLeftByWholeBallast = Math.max(freeLeftByWholeBallast, freeBytes());
                break;
            }
        }
        long free = freeBytes();
        if (written >= (256L << 20)) {
            Compare.log(String.format(Locale.ROOT, "  page cache: wrote %.1f GB of ballast in %.1f s (free memory now %d MB%s)",
                written / 1e9, (System.nanoTime() - startNs) / 1e9, free >> 20,
                cannotFill ? String.format(Locale.ROOT, "; the %.1f GB ballast cannot fill it", sizeBytes / 1e9)
                    : ""));
        }
    }

    private long fill() throws IOException {
        long written = 0;
        // Each chunk either lands on an evicted ballast page (and takes free memory) or re-dirties a
        // resident one; the bound stops a ballast that cannot fill memory from looping.
        long limit = Math.min(shrunk ? sizeBytes : 2 * sizeBytes, 2 * (freeBytes() - TARGET_FREE_BYTES) + (1L << 30));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (written < limit && freeBytes() > TARGET_FREE_BYTES) {
                for (int i = 0; i < CHUNKS_PER_CHECK; i++) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        channel.write(chunk, cursor + chunk.position());
                    }
                    cursor = (cursor + CHUNK_BYTES) % sizeBytes;
                    written += CHUNK_BYTES;
                }
            }
            channel.force(false);
        }
        return written;
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private static long freeBytes() throws IOException {
        return ProcStats.meminfoBytes("MemFree:").orElseThrow(() -> new IOException("MemFree missing from /proc/meminfo"));
    }
}
