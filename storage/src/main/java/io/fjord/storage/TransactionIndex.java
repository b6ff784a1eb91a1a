package io.fjord.storage;

import io.fjord.common.Invariants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The aborted-transaction index of one segment ({@code <base offset>.txnindex}, Kafka's
 * {@code TransactionIndex}): one entry per transaction whose ABORT marker lies in this segment,
 * in marker order, so {@code lastOffset} strictly increases through the file.
 *
 * <pre>
 * entry (34 bytes, big-endian, no header, no padding)
 * +-------------+-----------------+------------------+-----------------+-----------------------+
 * | version i16 | producerId i64  | firstOffset i64  | lastOffset i64  | lastStableOffset i64  |
 * | = 0         |                 | first data batch | ABORT marker    | LSO after the abort   |
 * +-------------+-----------------+------------------+-----------------+-----------------------+
 * byte 0        2                 10                 18                26                     34
 * </pre>
 * {@code lastStableOffset} is the first offset of any other producer's transaction still open when
 * the marker was written (else the marker offset + 1): no transaction aborted later can start
 * below it, which lets {@link #collectAbortedTxns} stop early, as Kafka does.
 *
 * <p>Like Kafka the file is created lazily, on the first aborted transaction: most segments have
 * none. Threading: appends, {@link #reset}, renames and deletion run under the owning log's lock;
 * reads are lock-free positional reads bounded by the volatile {@link #sizeInBytes}, which an
 * append publishes after writing the entry. Lifecycle follows the segment: rolled with it,
 * renamed {@code .deleted} and removed with it, rebuilt by {@link LogLoader} on recovery.
 */
final class TransactionIndex {

    static final short VERSION = 0;
    static final int ENTRY_BYTES = 2 + 8 + 8 + 8 + 8;
    /** Entries read per positional read while searching (bounds the buffer of one search). */
    private static final int ENTRIES_PER_READ = 128;

    private final long baseOffset;
    private volatile Path file;
    private volatile FileChannel channel;
    private volatile int sizeInBytes;
    /** The last offset of the last entry (-1 when empty); appends must go above it. */
    private long lastOffset = -1L;

    TransactionIndex(Path file, long baseOffset) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        if (Files.exists(file)) {
            openChannel();
            long size = channel.size();
            this.sizeInBytes = (int) Math.min(Integer.MAX_VALUE, size);
            if (sizeInBytes >= ENTRY_BYTES && sizeInBytes % ENTRY_BYTES == 0) {
                lastOffset = readEntry(sizeInBytes - ENTRY_BYTES).lastOffset();
            }
        }
    }

    private void openChannel() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    Path file() {
        return file;
    }

    int sizeInBytes() {
        return sizeInBytes;
    }

    /** Appends an entry; its last offset must be above every entry's already in the index. */
    void append(AbortedTxn txn) throws IOException {
        Invariants.check(txn.lastOffset() > lastOffset, "aborted transaction %s does not end after the last indexed one (%d)", txn, lastOffset);
        Invariants.check(txn.lastOffset() >= baseOffset, "aborted transaction %s ends below segment %d", txn, baseOffset);
        if (channel == null) {
            openChannel();
        }
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_BYTES);
        txn.writeTo(buffer);
        buffer.flip();
        long position = sizeInBytes;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        lastOffset = txn.lastOffset();
        sizeInBytes += ENTRY_BYTES;
    }

    /**
     * Adds to {@code into} every aborted transaction overlapping [{@code fetchOffset},
     * {@code upperBoundOffset}): {@code lastOffset >= fetchOffset} and {@code firstOffset < upperBoundOffset}.
     * Returns true when the search is complete (an entry's last stable offset reached the upper
     * bound, so no later segment can hold an overlapping transaction).
     */
    boolean collectAbortedTxns(long fetchOffset, long upperBoundOffset, List<AbortedTxn> into) throws IOException {
        FileChannel ch = channel;
        int limit = sizeInBytes - sizeInBytes % ENTRY_BYTES;
        if (ch == null || limit == 0) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(limit, ENTRIES_PER_READ * ENTRY_BYTES));
        int position = 0;
        while (position < limit) {
            buffer.clear().limit(Math.min(buffer.capacity(), limit - position));
            readFully(ch, buffer, position);
            buffer.flip();
            while (buffer.remaining() >= ENTRY_BYTES) {
                AbortedTxn txn = AbortedTxn.readFrom(buffer);
                if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                    into.add(txn);
                }
                if (txn.lastStableOffset() >= upperBoundOffset) {
                    return true;
                }
            }
            position += buffer.limit();
        }
        return false;
    }

    /** Every entry, in file order (recovery checks and tests). */
    List<AbortedTxn> allAbortedTxns() throws IOException {
        List<AbortedTxn> all = new ArrayList<>(sizeInBytes / ENTRY_BYTES);
        for (int position = 0; position + ENTRY_BYTES <= sizeInBytes; position += ENTRY_BYTES) {
            all.add(readEntry(position));
        }
        return all;
    }

    private AbortedTxn readEntry(int position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_BYTES);
        readFully(channel, buffer, position);
        return AbortedTxn.readFrom(buffer.flip());
    }

    private void readFully(FileChannel ch, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = ch.read(target, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + file + " at " + at);
            }
            at += n;
        }
    }

    /**
     * Checks the whole file: whole entries only, version 0, offsets inside the segment
     * ({@code baseOffset <= lastOffset < segmentEndOffset}, first offset not after last) and last
     * offsets strictly increasing. Throws {@link AbstractIndex.CorruptIndexException}.
     */
    void sanityCheck(long segmentEndOffset) throws IOException {
        if (sizeInBytes % ENTRY_BYTES != 0) {
            throw new AbstractIndex.CorruptIndexException(file + " has " + sizeInBytes + " bytes, not a multiple of " + ENTRY_BYTES);
        }
        long previousLastOffset = -1L;
        for (AbortedTxn txn : allAbortedTxns()) {
            if (txn.version() != VERSION || txn.lastOffset() < baseOffset || txn.lastOffset() >= segmentEndOffset
                || txn.firstOffset() > txn.lastOffset() || txn.lastOffset() <= previousLastOffset) {
                throw new AbstractIndex.CorruptIndexException(file + " holds an invalid entry " + txn + " (segment ["
                    + baseOffset + ", " + segmentEndOffset + "))");
            }
            previousLastOffset = txn.lastOffset();
        }
    }

    /** Empties the index (recovery rebuilds it from the log). */
    void reset() throws IOException {
        if (channel != null) {
            channel.truncate(0);
        }
        sizeInBytes = 0;
        lastOffset = -1L;
    }

    void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Renames the file if it exists; an open channel stays valid for in-flight readers. */
    void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target);
        }
        file = target;
    }

    void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file);
    }
}
