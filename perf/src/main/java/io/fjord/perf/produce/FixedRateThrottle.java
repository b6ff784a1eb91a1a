package io.fjord.perf.produce;

/**
 * When each record may be sent for a target rate: record {@code i} is due {@code i / rate} seconds
 * after the start, so a late loop catches up instead of drifting (the rate is held over the whole
 * run, not per interval). A rate of zero or less means no limit. Pure arithmetic; no clock inside.
 */
public final class FixedRateThrottle {

    private final long startNs;
    private final double nsPerRecord;

    public FixedRateThrottle(double recordsPerSecond, long startNs) {
        this.startNs = startNs;
        this.nsPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
    }

    public boolean isLimited() {
        return nsPerRecord > 0;
    }

    /** The time record {@code index} (0-based) becomes due; the start time for an unlimited rate. */
    public long dueNs(long index) {
        return startNs + (long) (index * nsPerRecord);
    }
}
