package chatbridge.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Columns aligned with spaces, numbers to the right; the last column is cut, if need be, to keep lines in a width. */
final class TextTable {
    private static final String GAP = "  ";
    private static final String CUT = "...";
    /** Below this the last column would say nothing: the line grows past the width instead. */
    private static final int NARROWEST_LAST_COLUMN = 24;

    record Column(String header, boolean numeric) {
        static Column text(String header) {
            return new Column(header, false);
        }

        static Column number(String header) {
            return new Column(header, true);
        }
    }

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(Column... columns) {
        this.columns = List.of(columns);
    }

    void add(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = oneLine(cells[i]);
        }
        rows.add(row);
    }

    /** @param width the longest line wanted; 0 for no limit */
    void print(PrintStream out, int width) {
        int[] widths = new int[columns.size()];
        String[] headers = columns.stream().map(Column::header).toArray(String[]::new);
        measure(headers, widths);
        rows.forEach(row -> measure(row, widths));
        int last = widths.length - 1;
        if (width > 0) {
            int others = 0;
            for (int i = 0; i < last; i++) {
                others += widths[i] + GAP.length();
            }
            widths[last] = Math.min(widths[last], Math.max(NARROWEST_LAST_COLUMN, width - others));
        }
        printRow(out, headers, widths);
        rows.forEach(row -> printRow(out, row, widths));
    }

    private static void measure(String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            widths[i] = Math.max(widths[i], cells[i].length());
        }
    }

    private void printRow(PrintStream out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cut(cells[i], widths[i]);
            boolean last = i == cells.length - 1;
            if (i > 0) {
                line.append(GAP);
            }
            String padding = " ".repeat(widths[i] - cell.length());
            if (columns.get(i).numeric()) {
                line.append(padding).append(cell);
            } else {
                line.append(cell).append(last ? "" : padding);
            }
        }
        out.println(line);
    }

    private static String cut(String cell, int width) {
        if (cell.length() <= width) {
            return cell;
        }
        int end = width - CUT.length();
        if (end > 0 && Character.isHighSurrogate(cell.charAt(end - 1))) {
            end--;
        }
        return cell.substring(0, Math.max(end, 0)) + CUT;
    }

    /**
     * A cell is one line, and a dead letter's detail may quote a partner's reply: control characters, escape
     * sequences included, become spaces rather than reach the terminal.
     */
    static String oneLine(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String stripped = line.toString().strip();
        return stripped.isEmpty() ? "-" : stripped;
    }
}
