package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns samples into markdown: per figure the median of each broker over the rounds (with min–max
 * when there are several), the ratio Fjord/Kafka of the medians, and whether the bar is
 * met; then replaces one marked section of {@code docs/benchmarks.md}:
 * <pre>
 * &lt;!-- BEGIN name --&gt; ... &lt;!-- END name --&gt;
 * </pre>
 * A section not yet in the file is appended. {@code main} re-renders a section from a results.tsv.
 */
public final class Report {

    private Report() {
    }

    /** Re-renders: {@code Report results.tsv docs/benchmarks.md SECTION "title"}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: Report RESULTS.tsv DOC.md SECTION TITLE");
            System.exit(2);
        }
        List<Sample> samples = readTsv(Path.of(args[0]));
        writeSection(Path.of(args[1]), args[2], markdown(args[3], List.of("re-rendered from " + args[0]), samples, List.of()));
    }

    static List<Sample> readTsv(Path file) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.equals(Sample.TSV_HEADER)) {
                samples.add(Sample.fromTsv(line));
            }
        }
        return samples;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String markdown(String title, List<String> meta, List<Sample> samples, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(title).append("\n\n");
        for (String line : meta) {
            out.append("- ").append(line).append('\n');
        }
        out.append('\n');
        Map<String, Map<Figure, List<Sample>>> byGroup = new LinkedHashMap<>();
        for (Sample s : samples) {
            byGroup.computeIfAbsent(s.figure().group(), g -> new LinkedHashMap<>())
                .computeIfAbsent(s.figure(), f -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, Map<Figure, List<Sample>>> group : byGroup.entrySet()) {
            out.append("**").append(group.getKey()).append("**\n\n");
            out.append("| case | figure | unit | Kafka | Fjord | Fjord/Kafka | bar | rounds |\n");
            out.append("|---|---|---|---:|---:|---:|---|---:|\n");
            for (Map.Entry<Figure, List<Sample>> entry : group.getValue().entrySet()) {
                out.append(row(entry.getKey(), entry.getValue())).append('\n');
            }
            out.append('\n');
        }
        if (!notes.isEmpty()) {
            out.append("Notes:\n\n");
            for (String note : notes) {
                out.append("- ").append(note).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String row(Figure figure, List<Sample> samples) {
        List<Double> kafka = values(samples, "kafka");
        List<Double> fjord = values(samples, "fjord");
        double kafkaMedian = median(kafka);
        double fjordMedian = median(fjord);
        String ratio = Double.isNaN(kafkaMedian) || Double.isNaN(fjordMedian) || kafkaMedian == 0 ? "–"
            : String.format(Locale.ROOT, "%.2f", fjordMedian / kafkaMedian);
        Optional<Boolean> met = figure.bar().met(kafkaMedian, fjordMedian);
        String bar = figure.bar().describe() + met.map(m -> m ? ": met" : ": **not met**").orElse("");
        String metric = figure.metric() + switch (figure.better()) {
            case HIGHER -> " ↑";
            case LOWER -> " ↓";
            case INFO -> "";
        };
        return "| " + figure.caseName() + " | " + metric + " | " + figure.unit() + " | " + cell(kafka) + " | " + cell(fjord)
            + " | " + ratio + " | " + bar + " | " + Math.max(kafka.size(), fjord.size()) + " |";
    }

    private static List<Double> values(List<Sample> samples, String broker) {
        return samples.stream().filter(s -> s.broker().equals(broker)).map(Sample::value).toList();
    }

    private static String cell(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        String median = format(median(values));
        if (values.size() == 1) {
            return median;
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return median + " (" + format(min) + "–" + format(max) + ")";
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Replaces the content between this section's markers in {@code doc}, appending the section if absent. */
    static void writeSection(Path doc, String section, String content) throws IOException {
        String begin = "<!-- BEGIN " + section + " -->";
        String end = "<!-- END " + section + " -->";
        String text = Files.exists(doc) ? Files.readString(doc) : "";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        String block = begin + "\n" + content.stripTrailing() + "\n" + end;
        String updated;
        if (b >= 0 && e > b) {
            updated = text.substring(0, b) + block + text.substring(e + end.length());
        } else {
            updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        }
        Files.createDirectories(doc.toAbsolutePath().getParent());
        Files.writeString(doc, updated);
    }
}
