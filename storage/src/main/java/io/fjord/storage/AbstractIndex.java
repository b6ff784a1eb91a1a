package io.fjord.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sparse index file of fixed-size entries, memory-mapped like Kafka's. A new index is
 * preallocated to {@code segment.index.bytes} (rounded down to whole entries); {@link #trimToValidSize()}
 * shrinks the file to its entries when the segment stops being active and on close, so an index
 * left at full length means the broker did not shut down cleanly.
 *
 * <p>Threading: the owning log's append lock serialises writers. Readers are lock-free: they read
 * the volatile entry count, then the volatile mapping; a writer publishes a new mapping before a
 * new count, so a reader always sees at least {@code entries} valid entries. Old mappings are never
 * unmapped explicitly (the GC releases them), so a reader holding one can never fault.
 */
abstract sealed class AbstractIndex permits OffsetIndex, TimeIndex {

    private static final int PAGE_BYTES = 4096;

    protected final long baseOffset;
    private final int entryBytes;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;
    private final boolean lengthIsWholeEntries;
    /**
     * Bytes from the start of the file that are real data or already in the page cache. Mapped
     * writes must stay below it: the first write into a page of the sparse preallocated tail faults,
     * and on current kernels that fault reads ahead over the hole, zeroing megabytes of large folios
     * (measured: 3 ms for the first entry of each new 10 MB index, 27 s of kernel time for the first
     * writes into a new 1,000-partition topic). A positional write of zeros brings the page in for
     * the price of one small syscall per page of entries.
     */
    private long populatedUpTo;

    AbstractIndex(Path file, long baseOffset, int maxIndexBytes, int entryBytes) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entryBytes = entryBytes;
        boolean newlyCreated = !Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (newlyCreated) {
                raf.setLength(roundDown(maxIndexBytes));
            }
            long length = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.maxEntries = (int) (length / entryBytes);
            // Kafka's convention: an existing index is trimmed, so its length gives the entry count;
            // a full-length leftover of a crash fails sanityCheck() and is rebuilt.
            this.entries = newlyCreated ? 0 : (int) (length / entryBytes);
            this.lengthIsWholeEntries = length % entryBytes == 0;
            this.populatedUpTo = (long) entries * entryBytes;
        }
    }

    /** Call before writing entry number {@link #entries()} through the mapping. */
    final void prepareAppend() throws IOException {
        long end = (long) (entries + 1) * entryBytes;
        if (end <= populatedUpTo) {
            return;
        }
        long from = Math.max(populatedUpTo, (long) entries * entryBytes);
        long to = Math.min(mmap.capacity(), (end + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES);
        if (to <= from) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) (to - from));
            while (zeros.hasRemaining()) {
                channel.write(zeros, from + zeros.position());
            }
        }
        populatedUpTo = to;
    }

    final int entries() {
        return entries;
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final Path file() {
        return file;
    }

    final MappedByteBuffer mmap() {
        return mmap;
    }

    final int entryBytes() {
        return entryBytes;
    }

    /** Publishes one more entry after the subclass wrote it at {@code entries * entryBytes}. */
    final void publishAppend() {
        entries = entries + 1;
    }

    /** Throws {@link CorruptIndexException} when the file cannot be a valid index for its segment. */
    void sanityCheck(long logSizeBytes) {
        if (!lengthIsWholeEntries) {
            throw new CorruptIndexException(file + " length is not a multiple of " + entryBytes);
        }
    }

    /** Resizes the file and mapping to {@code maxIndexBytes} (a segment becoming active again after load). */
    final void resize(int maxIndexBytes) throws IOException {
        remap(Math.max(roundDown(maxIndexBytes), (long) entries * entryBytes));
    }

    /** Shrinks the file to exactly its entries. */
    final void trimToValidSize() throws IOException {
        remap((long) entries * entryBytes);
    }

    /** Drops entries from index {@code newEntries} on. */
    final void truncateToEntries(int newEntries) {
        entries = Math.min(entries, newEntries);
    }

    /** Removes every entry and makes room for {@code maxIndexBytes} again (index rebuild). */
    final void reset(int maxIndexBytes) throws IOException {
        entries = 0;
        remap(roundDown(maxIndexBytes));
    }

    final void flush() {
        mmap.force();
    }

    final void renameTo(Path target) throws IOException {
        Files.move(file, target);
        file = target;
    }

    final void deleteIfExists() throws IOException {
        Files.deleteIfExists(file);
    }

    private void remap(long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            MappedByteBuffer remapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            int count = entries;
            this.populatedUpTo = Math.min(populatedUpTo, Math.min(length, (long) count * entryBytes));
            this.mmap = remapped;
            this.maxEntries = (int) (length / entryBytes);
            this.entries = count;
        }
    }

    private int roundDown(int bytes) {
        return bytes - bytes % entryBytes;
    }

    /** The largest entry index whose key is {@code <= target}, or -1; {@code keyAt} reads an entry's key. */
    protected final int largestLowerBound(MappedByteBuffer buffer, int count, long target, KeyReader keyAt) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyAt.key(buffer, mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    @FunctionalInterface
    protected interface KeyReader {
        long key(MappedByteBuffer buffer, int entry);
    }

    /** The index file does not describe its segment; the loader rebuilds it. */
    static final class CorruptIndexException extends RuntimeException {
        CorruptIndexException(String message) {
            super(message);
        }
    }
}
