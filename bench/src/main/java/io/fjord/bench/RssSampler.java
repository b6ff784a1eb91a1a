package io.fjord.bench;

/**
 * Samples a process's VmRSS every {@code intervalMs} on a daemon thread and keeps the maximum:
 * "resident memory under load". Started before a load run and closed after it; owns its thread.
 */
final class RssSampler implements AutoCloseable {

    private final long pid;
    private final long intervalMs;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxRssBytes = -1;

    RssSampler(long pid, long intervalMs) {
        this.pid = pid;
        this.intervalMs = intervalMs;
        this.thread = Thread.ofPlatform().daemon().name("rss-sampler-" + pid).start(this::run);
    }

    private void run() {
        while (running) {
            long rss = ProcStats.rssBytes(pid);
            if (rss > maxRssBytes) {
                maxRssBytes = rss;
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest VmRSS seen so far, in bytes; -1 before the first sample. */
    long maxRssBytes() {
        return maxRssBytes;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long last = ProcStats.rssBytes(pid);
        if (last > maxRssBytes) {
            maxRssBytes = last;
        }
    }
}
