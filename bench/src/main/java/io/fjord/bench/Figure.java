package io.fjord.bench;

import java.util.Locale;
import java.util.Optional;

/**
 * One measured figure of one case, e.g. (producer, "100 B, 6 partitions, acks=all", "throughput",
 * "MB/s", higher is better, bar ratio &gt;= 1.3). Immutable; the key that rounds and brokers share.
 */
record Figure(String group, String caseName, String metric, String unit, Better better, Bar bar) {

    enum Better { HIGHER, LOWER, INFO }

    /** The bar for a figure: on the ratio Fjord/Kafka of medians, or on Fjord's median alone. */
    record Bar(Kind kind, double threshold) {

        enum Kind { NONE, RATIO_AT_LEAST, RATIO_AT_MOST, FJORD_AT_MOST, FJORD_AT_LEAST }

        static final Bar NONE = new Bar(Kind.NONE, 0);

        static Bar ratioAtLeast(double threshold) {
            return new Bar(Kind.RATIO_AT_LEAST, threshold);
        }

        static Bar ratioAtMost(double threshold) {
            return new Bar(Kind.RATIO_AT_MOST, threshold);
        }

        static Bar fjordAtMost(double threshold) {
            return new Bar(Kind.FJORD_AT_MOST, threshold);
        }

        static Bar fjordAtLeast(double threshold) {
            return new Bar(Kind.FJORD_AT_LEAST, threshold);
        }

        /** Empty when there is no bar or a median is missing. */
        Optional<Boolean> met(double kafkaMedian, double fjordMedian) {
            return switch (kind) {
                case NONE -> Optional.empty();
                case RATIO_AT_LEAST -> ratio(kafkaMedian, fjordMedian).map(r -> r >= threshold);
                case RATIO_AT_MOST -> ratio(kafkaMedian, fjordMedian).map(r -> r <= threshold);
                case FJORD_AT_MOST -> Double.isNaN(fjordMedian) ? Optional.empty() : Optional.of(fjordMedian <= threshold);
                case FJORD_AT_LEAST -> Double.isNaN(fjordMedian) ? Optional.empty() : Optional.of(fjordMedian >= threshold);
            };
        }

        private static Optional<Double> ratio(double kafka, double fjord) {
            return Double.isNaN(kafka) || Double.isNaN(fjord) || kafka == 0 ? Optional.empty() : Optional.of(fjord / kafka);
        }

        String describe() {
            return switch (kind) {
                case NONE -> "";
                case RATIO_AT_LEAST -> "≥ " + fmt(threshold) + "×";
                case RATIO_AT_MOST -> "≤ " + fmt(threshold) + "×";
                case FJORD_AT_MOST -> "Fjord ≤ " + fmt(threshold);
                case FJORD_AT_LEAST -> "Fjord ≥ " + fmt(threshold);
            };
        }

        /** The TSV form: "-", "ratio>=1.3", "ratio<=0.5", "fjord<=500", "fjord>=0.8". */
        String encode() {
            return switch (kind) {
                case NONE -> "-";
                case RATIO_AT_LEAST -> "ratio>=" + threshold;
                case RATIO_AT_MOST -> "ratio<=" + threshold;
                case FJORD_AT_MOST -> "fjord<=" + threshold;
                case FJORD_AT_LEAST -> "fjord>=" + threshold;
            };
        }

        static Bar decode(String s) {
            if (s.equals("-")) {
                return NONE;
            }
            if (s.startsWith("ratio>=")) {
                return ratioAtLeast(Double.parseDouble(s.substring(7)));
            }
            if (s.startsWith("ratio<=")) {
                return ratioAtMost(Double.parseDouble(s.substring(7)));
            }
            if (s.startsWith("fjord<=")) {
                return fjordAtMost(Double.parseDouble(s.substring(7)));
            }
            if (s.startsWith("fjord>=")) {
                return fjordAtLeast(Double.parseDouble(s.substring(7)));
            }
            throw new IllegalArgumentException("unknown bar " + s);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
        }
    }
}
