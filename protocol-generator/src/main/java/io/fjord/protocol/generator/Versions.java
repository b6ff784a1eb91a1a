package io.fjord.protocol.generator;

/**
 * An inclusive range of versions as the spec language writes it: {@code "3"}, {@code "1-4"},
 * {@code "2+"} (open-ended, up to {@link Short#MAX_VALUE}) or {@code "none"} (empty).
 */
public record Versions(short lowest, short highest) {

    public static final short MAX = Short.MAX_VALUE;
    public static final Versions NONE = new Versions((short) 1, (short) 0);
    public static final Versions ALL = new Versions((short) 0, MAX);

    /** Parses {@code text}; null or blank gives {@code fallback}. */
    public static Versions parse(String text, Versions fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String trimmed = text.trim();
        try {
            if (trimmed.equals("none")) {
                return NONE;
            }
            if (trimmed.endsWith("+")) {
                return of(Short.parseShort(trimmed.substring(0, trimmed.length() - 1)), MAX);
            }
            int dash = trimmed.indexOf('-');
            if (dash > 0) {
                return of(Short.parseShort(trimmed.substring(0, dash)), Short.parseShort(trimmed.substring(dash + 1)));
            }
            short single = Short.parseShort(trimmed);
            return of(single, single);
        } catch (NumberFormatException e) {
            throw new SpecException("invalid version range '" + text + "'", e);
        }
    }

    private static Versions of(short lowest, short highest) {
        if (lowest < 0 || highest < lowest) {
            throw new SpecException("invalid version range " + lowest + "-" + highest);
        }
        return new Versions(lowest, highest);
    }

    public boolean isEmpty() {
        return lowest > highest;
    }

    public boolean isOpenEnded() {
        return !isEmpty() && highest == MAX;
    }

    public boolean contains(int version) {
        return version >= lowest && version <= highest;
    }

    /** True when every version of {@code other} is in this range (the empty range is in every range). */
    public boolean containsAll(Versions other) {
        return other.isEmpty() || (!isEmpty() && other.lowest >= lowest && other.highest <= highest);
    }

    public Versions intersect(Versions other) {
        if (isEmpty() || other.isEmpty()) {
            return NONE;
        }
        short low = (short) Math.max(lowest, other.lowest);
        short high = (short) Math.min(highest, other.highest);
        return low > high ? NONE : new Versions(low, high);
    }

    /**
     * This range minus {@code other}, which must not split it in two (it must cover one end or be
     * disjoint). Used for "present but not tagged", where tagged versions are open-ended.
     */
    public Versions subtract(Versions other) {
        if (isEmpty() || other.isEmpty() || intersect(other).isEmpty()) {
            return this;
        }
        if (other.lowest <= lowest && other.highest >= highest) {
            return NONE;
        }
        if (other.lowest <= lowest) {
            return new Versions((short) (other.highest + 1), highest);
        }
        if (other.highest >= highest) {
            return new Versions(lowest, (short) (other.lowest - 1));
        }
        throw new SpecException("range " + other + " would split " + this + " in two");
    }

    /** A Java boolean expression over {@code variable} that is true exactly for versions in this range. */
    public String javaCondition(String variable) {
        if (isEmpty()) {
            return "false";
        }
        boolean checkLow = lowest > 0;
        boolean checkHigh = highest < MAX;
        if (checkLow && checkHigh) {
            return lowest == highest
                ? variable + " == " + lowest
                : "(" + variable + " >= " + lowest + " && " + variable + " <= " + highest + ")";
        }
        if (checkLow) {
            return variable + " >= " + lowest;
        }
        if (checkHigh) {
            return variable + " <= " + highest;
        }
        return "true";
    }

    /**
     * Like {@link #javaCondition(String)}, for code that only runs for versions in {@code within}:
     * bounds that {@code within} already guarantees are left out.
     */
    public String javaCondition(String variable, Versions within) {
        if (within.isEmpty() || within.intersect(this).isEmpty()) {
            return "false";
        }
        if (containsAll(within)) {
            return "true";
        }
        short low = lowest > within.lowest ? lowest : 0;
        short high = highest < within.highest ? highest : MAX;
        return new Versions(low, high).javaCondition(variable);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == MAX) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
