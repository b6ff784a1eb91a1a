package io.fjord.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Waits for a quiet disk before a timed run; shared by the compare and scale harnesses. */
final class DiskSettle {

    private static final long SETTLE_MAX_MS = 60_000;
    private static final long SETTLE_POLL_MS = 100;

    private DiskSettle() {
    }

    /**
     * Writes back what the previous broker or tool run left dirty in the page cache (gigabytes after a
     * full-speed run, and a deleted data dir), then waits until the disk has been idle for
     * {@code quietMs}: no sector discarded, and no more written than an idle broker writes. Otherwise a new broker's
     * first reads and fsyncs queue behind that writeback — and behind the discards an ext4 mounted
     * with {@code discard} issues for a deleted 10 GB data dir, which held one start-up here for
     * 5 s before {@code main} — so the start-up figure measures the previous round, and the kernel's
     * writeback threads take a share of the 2 cores from the next tool run, whichever broker's it is.
     * Gives up waiting after {@link #SETTLE_MAX_MS} and says so. First tops the page cache up with
     * {@code ballast} when there is one ({@code --page-cache full}).
     */
    static void await(Optional<PageCacheBallast> ballast, long quietMs) throws IOException, InterruptedException {
        if (ballast.isPresent()) {
            ballast.get().topUp();
        }
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS);
        ProcStats.DiskActivity last = ProcStats.diskActivity();
        long quietFrom = System.nanoTime();
        while (System.nanoTime() - quietFrom < TimeUnit.MILLISECONDS.toNanos(quietMs)) {
            if (System.nanoTime() > deadline) {
                Compare.log(String.format(Locale.ROOT, "  disk still busy after %d ms of waiting; going on", SETTLE_MAX_MS));
                return;
            }
            Thread.sleep(SETTLE_POLL_MS);
            ProcStats.DiskActivity now = ProcStats.diskActivity();
            if (!now.quietSince(last)) {
                quietFrom = System.nanoTime();
            }
            last = now;
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (waitedMs > quietMs + 1_000) {
            Compare.log(String.format(Locale.ROOT, "  waited %d ms for the disk to go quiet", waitedMs));
        }
    }
}
