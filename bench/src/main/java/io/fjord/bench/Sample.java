package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One value of one {@link Figure} from one broker in one round. One TSV line in {@code results.tsv}:
 * <pre>
 * round  broker  group  case  metric  unit  better  bar  value
 * </pre>
 */
record Sample(int round, String broker, Figure figure, double value) {

    static final String TSV_HEADER = "round\tbroker\tgroup\tcase\tmetric\tunit\tbetter\tbar\tvalue";

    String toTsv() {
        return String.join("\t", Integer.toString(round), broker, figure.group(), figure.caseName(), figure.metric(), figure.unit(),
            figure.better().name(), figure.bar().encode(), String.format(Locale.ROOT, "%.6f", value));
    }

    /** Writes {@code samples} with the header line, replacing {@code file}. */
    static void writeTsv(List<Sample> samples, Path file) throws IOException {
        List<String> lines = new ArrayList<>(samples.size() + 1);
        lines.add(TSV_HEADER);
        samples.forEach(s -> lines.add(s.toTsv()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines);
    }

    static Sample fromTsv(String line) {
        String[] f = line.split("\t");
        if (f.length != 9) {
            throw new IllegalArgumentException("expected 9 tab-separated fields, got " + f.length + ": " + line);
        }
        Figure figure = new Figure(f[2], f[3], f[4], f[5], Figure.Better.valueOf(f[6]), Figure.Bar.decode(f[7]));
        return new Sample(Integer.parseInt(f[0]), f[1], figure, Double.parseDouble(f[8]));
    }
}
