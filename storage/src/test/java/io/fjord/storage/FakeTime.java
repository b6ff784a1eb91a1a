package io.fjord.storage;

import io.fjord.common.Time;

/** A clock that moves only when a test says so. */
final class FakeTime implements Time {

    private long nowMs;

    FakeTime(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public synchronized long milliseconds() {
        return nowMs;
    }

    @Override
    public synchronized long nanoseconds() {
        return nowMs * 1_000_000L;
    }

    synchronized void sleep(long ms) {
        nowMs += ms;
    }
}
