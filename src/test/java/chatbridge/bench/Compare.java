package chatbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of bench/compare.sh: every row of the runs of two builds (the CSV files Bench wrote), each run's value,
 * each build's mean and the ratio of the means, this checkout / the other revision. Run by turns on one machine, the
 * ratio is what compares; a figure alone says as much about the VM's day as about a build.
 *
 * <p>Arguments: the other revision's name, its CSV files, "--", this checkout's CSV files.
 */
public final class Compare {
    private record Key(String phase, String metric, String unit) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws IOException {
        String otherName = args[0];
        List<Path> other = new ArrayList<>();
        List<Path> current = new ArrayList<>();
        List<Path> into = other;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--")) {
                into = current;
            } else {
                into.add(Path.of(args[i]));
            }
        }
        int runs = Math.max(other.size(), current.size());
        Map<Key, double[][]> values = new LinkedHashMap<>();
        read(other, 0, runs, values);
        read(current, 1, runs, values);

        String runsWidth = "%-" + runs * 11 + "s";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%-22s %-52s %-9s " + runsWidth + " %10s   " + runsWidth + " %10s %8s%n", "phase", "metric", "unit",
                otherName + " runs", "mean", "this checkout runs", "mean", "ratio"));
        for (Map.Entry<Key, double[][]> row : values.entrySet()) {
            Key key = row.getKey();
            double otherMean = mean(row.getValue()[0]);
            double currentMean = mean(row.getValue()[1]);
            table.append(String.format(Locale.ROOT, "%-22s %-52s %-9s %s %10s   %s %10s %8s%n", cut(key.phase(), 22),
                    cut(key.metric(), 52), key.unit(), runs(row.getValue()[0]), figure(otherMean),
                    runs(row.getValue()[1]), figure(currentMean), ratio(currentMean, otherMean)));
        }
        System.out.print(table);
    }

    /** Each row's values by build and run; a run without the row keeps NaN. */
    private static void read(List<Path> files, int build, int runs, Map<Key, double[][]> values) throws IOException {
        for (int run = 0; run < files.size(); run++) {
            List<String> lines = Files.readAllLines(files.get(run));
            for (String line : lines.subList(1, lines.size())) {
                List<String> fields = csvFields(line);
                Key key = new Key(fields.get(0), fields.get(1), fields.get(3));
                values.computeIfAbsent(key, k -> new double[][] {nans(runs), nans(runs)})[build][run] =
                        Double.parseDouble(fields.get(2));
            }
        }
    }

    /** Bench's CSV: fields in double quotes may hold commas; no quotes inside them. */
    private static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Mean of the runs that have the row; NaN when none has it. */
    private static double mean(double[] runs) {
        double sum = 0;
        int n = 0;
        for (double v : runs) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static String runs(double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            s.append(String.format(Locale.ROOT, "%10s ", figure(values[i])));
        }
        return s.toString();
    }

    private static String figure(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double current, double other) {
        return Double.isNaN(current) || Double.isNaN(other) || other == 0 ? "-"
                : String.format(Locale.ROOT, "%.2fx", current / other);
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width);
    }
}
