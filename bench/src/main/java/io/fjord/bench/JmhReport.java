package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a JMH run's CSV result file ({@code -rf csv -rff FILE}) as a markdown table and replaces
 * one marked section of {@code docs/benchmarks.md} with it (see {@link Report#writeSection}). Run by
 * hand after a JMH run; no state, any thread.
 *
 * <pre>
 * "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: a","Param: b"
 * "io.fjord.bench.jmh.X.m","thrpt",1,5,2450977.1,12345.6,"ops/s",16384,
 * </pre>
 * A parameter column is empty for the benchmarks that do not declare it; each row lists only its
 * own parameters, so rows that differ by one parameter never look alike. Throughput rows in ops/s
 * also show the time per operation, which is what a hot path's cost is read in.
 */
public final class JmhReport {

    private static final String PARAM_PREFIX = "Param: ";

    private JmhReport() {
    }

    /** One result row: the benchmark's short name (Class.method), its parameters and its score. */
    record Row(String benchmark, String mode, String params, double score, double error, String unit) {
    }

    /** {@code JmhReport results.csv docs/benchmarks.md SECTION "title" "meta line"...}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: JmhReport RESULTS.csv DOC.md SECTION TITLE [META-LINE]...");
            System.exit(2);
        }
        List<Row> rows = parse(Files.readAllLines(Path.of(args[0])));
        List<String> meta = List.of(args).subList(4, args.length);
        Report.writeSection(Path.of(args[1]), args[2], markdown(args[3], meta, rows));
    }

    static List<Row> parse(List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty JMH CSV");
        }
        List<String> header = csvFields(lines.get(0));
        int benchmark = indexOrThrow(header, "Benchmark");
        int mode = indexOrThrow(header, "Mode");
        int score = indexOrThrow(header, "Score");
        int error = indexOrThrow(header, "Score Error (99.9%)");
        int unit = indexOrThrow(header, "Unit");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = csvFields(line);
            List<String> params = new ArrayList<>();
            for (int i = 0; i < header.size() && i < fields.size(); i++) {
                if (header.get(i).startsWith(PARAM_PREFIX) && !fields.get(i).isEmpty()) {
                    params.add(header.get(i).substring(PARAM_PREFIX.length()) + "=" + fields.get(i));
                }
            }
            rows.add(new Row(shortName(fields.get(benchmark)), fields.get(mode), String.join(", ", params),
                parseNumber(fields.get(score)), parseNumber(fields.get(error)), fields.get(unit)));
        }
        return rows;
    }

    static String markdown(String title, List<String> meta, List<Row> rows) {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
        for (String line : meta) {
            out.append("- ").append(line).append('\n');
        }
        out.append("\n| benchmark | parameters | score | ± (99.9 %) | unit | time per op |\n");
        out.append("|---|---|---:|---:|---|---:|\n");
        for (Row row : rows) {
            out.append("| ").append(row.benchmark()).append(" | ").append(row.params()).append(" | ")
                .append(number(row.score())).append(" | ").append(number(row.error())).append(" | ")
                .append(row.unit()).append(" | ").append(timePerOp(row)).append(" |\n");
        }
        return out.toString();
    }

    /** "408 ns" for a throughput row in ops/s, empty otherwise (an avgt row already is a time). */
    static String timePerOp(Row row) {
        if (!row.mode().equals("thrpt") || !row.unit().equals("ops/s") || !(row.score() > 0)) {
            return "";
        }
        double ns = 1e9 / row.score();
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (ns >= 1e4) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", ns);
    }

    /** Thousands separated for large scores, three significant digits for small ones. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String shortName(String fullName) {
        String[] parts = fullName.split("\\.");
        return parts.length < 2 ? fullName : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static double parseNumber(String field) {
        return field.isEmpty() || field.equals("NaN") ? Double.NaN : Double.parseDouble(field);
    }

    private static int indexOrThrow(List<String> header, String column) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("JMH CSV has no column '" + column + "': " + header);
        }
        return i;
    }

    /** Splits one CSV line: fields may be quoted, a quote inside a quoted field is doubled. */
    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
