package io.fjord.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compilers' work in this JVM, to tell a warm tool from one still compiling. On these 2-core machines the
 * C2 compiler thread of a consumer that has read 5M records once still takes most of a core for seconds more
 * (perf: 3 of 8 CPU-seconds of a whole run), competing with the broker and the polling thread in the counted read.
 */
final class Jit {

    /** A pass that spent at most this share of its wall time compiling counts as quiet: the JIT has settled. */
    static final double QUIET_SHARE = 0.05;

    /**
     * How long the harnesses let a consumer's warm-up repeat while its JIT still compiles: 4–5 passes of 5M × 100 B
     * records settle a Java consumer here (~10 s), so 30 s bounds a tool that never settles.
     */
    static final long WARMUP_MAX_MS = 30_000;

    /** How long the compilers must have finished nothing for {@link #awaitIdle} to call them idle. */
    static final long IDLE_WINDOW_MS = 200;

    private static final CompilationMXBean COMPILATION = ManagementFactory.getCompilationMXBean();

    private Jit() {
    }

    /** Milliseconds spent compiling so far, summed over the compiler threads; 0 where the JVM does not tell. */
    static long totalMs() {
        return COMPILATION != null && COMPILATION.isCompilationTimeMonitoringSupported() ? COMPILATION.getTotalCompilationTime() : 0;
    }

    /**
     * Compile time since {@code startJitMs} (a {@link #totalMs()}) over the wall time since {@code startNs} (a
     * {@link System#nanoTime()}): summed over the compiler threads, so above 1 when both compile all along.
     */
    static double shareSince(long startJitMs, long startNs) {
        return (totalMs() - startJitMs) * 1e6 / Math.max(1, System.nanoTime() - startNs);
    }

    /**
     * Waits until the compilers have finished nothing for {@link #IDLE_WINDOW_MS} (at most {@code maxMs}): a warm-up's
     * last compilations are queued while it ends and would otherwise finish inside the counted run. The total only
     * moves when a compilation finishes, so one long C2 compilation may still be running; the window is long against
     * the 1–50 ms most take. Returns the milliseconds waited.
     */
    static long awaitIdle(long maxMs) throws InterruptedException {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + maxMs * 1_000_000L;
        long last = totalMs();
        long stableSinceNs = startNs;
        while (System.nanoTime() < deadlineNs) {
            Thread.sleep(20);
            long now = totalMs();
            if (now != last) {
                last = now;
                stableSinceNs = System.nanoTime();
            } else if (System.nanoTime() - stableSinceNs >= IDLE_WINDOW_MS * 1_000_000L) {
                break;
            }
        }
        return (System.nanoTime() - startNs) / 1_000_000L;
    }
}
