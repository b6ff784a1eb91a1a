package io.fjord.bench;

/**
 * One of issue 5's scale cases, run by {@link Scale} against one broker at a time. A case starts
 * its broker from an empty data dir through {@link ScaleContext#startFresh()}, records its figures
 * and stops the broker; {@link ScaleContext#finish()} then deletes the data. Stateless: the sizes
 * come from {@link ScaleContext#options()}.
 */
sealed interface ScaleCase permits ManyPartitionsCase, PartitionCountCase, IdleConnectionsCase, LongReadCase {

    /** The name on the command line ({@code --cases}). */
    String key();

    void run(ScaleContext ctx) throws Exception;

    static ScaleCase of(String key) {
        return switch (key) {
            case "partitions10k" -> new ManyPartitionsCase();
            case "partitions1000" -> new PartitionCountCase();
            case "idle" -> new IdleConnectionsCase();
            case "read20g" -> new LongReadCase();
            default -> throw new IllegalArgumentException("no scale case " + key);
        };
    }
}
