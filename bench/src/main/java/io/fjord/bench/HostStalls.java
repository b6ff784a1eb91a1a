package io.fjord.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How often this machine's CPUs stop under a running thread: one thread per core reads
 * {@link System#nanoTime()} in a loop that allocates nothing, and every gap between two reads longer
 * than {@link #COUNTED_GAP_NS} is time the thread was runnable but did not run — on a virtual machine
 * mostly its vCPU off the host's CPU. Such a stall delays whatever a broker or tool was doing at that
 * moment, so it lands in every latency tail alike; a report names the rate so a reader can tell the
 * machine's floor from a broker's. (By hand on these machines, 10 s: 28 and 16 gaps of 1 ms or more on
 * the two vCPUs, the longest 4-8 ms; nineteenth session.)
 */
final class HostStalls {

    /** Gaps shorter than this are the loop's own cost, a timer interrupt or a safepoint, not a stall. */
    static final long COUNTED_GAP_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private HostStalls() {
    }

    /** What the spinning threads saw; times in nanoseconds, summed over the threads. */
    record Result(int threads, long elapsedNs, long gaps, long gapsOver1ms, long gapsOver4ms, long lostNs, long longestNs) {

        double seconds() {
            return elapsedNs / 1e9;
        }

        /** Share of the threads' time lost to gaps of 100 µs or more. */
        double lostShare() {
            return elapsedNs == 0 ? 0 : lostNs / (double) (elapsedNs * threads);
        }

        String describe(String when) {
            return String.format(Locale.ROOT, "host stalls %s: a thread spinning on each of %d cores for %.0f s saw %d gaps of 1 ms or "
                    + "more (%.1f per second per core; 4 ms or more: %d; longest %.1f ms), %.2f %% of the time lost to gaps over 0.1 ms "
                    + "(HostStalls: the VM's CPUs off the host's; they land in both brokers' tails alike)",
                when, threads, seconds(), gapsOver1ms, gapsOver1ms / Math.max(1e-9, seconds()) / threads, gapsOver4ms,
                longestNs / 1e6, lostShare() * 100);
        }
    }

    /** Tallies the gaps one thread saw; not thread-safe (one per thread, {@link #plus} to combine). */
    static final class Tally {
        private long gaps;
        private long over1ms;
        private long over4ms;
        private long lostNs;
        private long longestNs;

        void gap(long ns) {
            if (ns < COUNTED_GAP_NS) {
                return;
            }
            gaps++;
            lostNs += ns;
            longestNs = Math.max(longestNs, ns);
            if (ns >= MS) {
                over1ms++;
            }
            if (ns >= 4 * MS) {
                over4ms++;
            }
        }

        Tally plus(Tally other) {
            Tally sum = new Tally();
            sum.gaps = gaps + other.gaps;
            sum.over1ms = over1ms + other.over1ms;
            sum.over4ms = over4ms + other.over4ms;
            sum.lostNs = lostNs + other.lostNs;
            sum.longestNs = Math.max(longestNs, other.longestNs);
            return sum;
        }

        Result result(int threads, long elapsedNs) {
            return new Result(threads, elapsedNs, gaps, over1ms, over4ms, lostNs, longestNs);
        }
    }

    /** How long a harness measures, on every core, before its first broker starts and after its last stops. */
    static final Duration REPORT_WINDOW = Duration.ofSeconds(5);

    /** {@link #REPORT_WINDOW} on every core, logged; for a report's header. */
    static Result measureForReport(String when) throws InterruptedException {
        Result result = measure(Runtime.getRuntime().availableProcessors(), REPORT_WINDOW);
        Compare.log(String.format(Locale.ROOT, "host stalls %s: %d gaps of 1 ms or more in %.0f s on %d cores (longest %.1f ms)",
            when, result.gapsOver1ms(), result.seconds(), result.threads(), result.longestNs() / 1e6));
        return result;
    }

    /** Spins {@code threads} platform threads for {@code duration} and tallies their gaps. */
    static Result measure(int threads, Duration duration) throws InterruptedException {
        long durationNs = duration.toNanos();
        List<Tally> tallies = new ArrayList<>();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Tally tally = new Tally();
            tallies.add(tally);
            spinners.add(Thread.ofPlatform().name("host-stalls-" + i).start(() -> spin(tally, durationNs)));
        }
        for (Thread spinner : spinners) {
            spinner.join();
        }
        Tally sum = new Tally();
        for (Tally tally : tallies) {
            sum = sum.plus(tally);
        }
        return sum.result(threads, durationNs);
    }

    private static void spin(Tally tally, long durationNs) {
        long start = System.nanoTime();
        long last = start;
        while (last - start < durationNs) {
            long now = System.nanoTime();
            tally.gap(now - last);
            last = now;
        }
    }
}
