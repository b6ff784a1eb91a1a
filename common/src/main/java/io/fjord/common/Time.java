package io.fjord.common;

/**
 * The clock every core component takes as an input, so tests can drive it with a fake clock
 * (STYLE.md, "Determinism and time"). {@link #SYSTEM} is the only real implementation.
 */
public interface Time {

    /** Wall-clock milliseconds since the epoch: record timestamps, retention, file times. */
    long milliseconds();

    /** Monotonic nanoseconds: timeouts and durations. */
    long nanoseconds();

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}
