package dev.herald.bench.report;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The bench's result table (metric, value, ceiling, ratio, target) with the machine it ran on, as Markdown. */
public final class Report {
    private final String title;
    private final List<String> context = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    /** One measured metric; ceiling and target are optional, the ratio is value / ceiling. */
    public record Row(String metric, String value, Optional<String> ceiling, Optional<String> ratio, String target) {
    }

    public void context(String line) {
        context.add(line);
    }

    public void note(String line) {
        notes.add(line);
    }

    public void row(String metric, String value) {
        rows.add(new Row(metric, value, Optional.empty(), Optional.empty(), ""));
    }

    public void row(String metric, String value, String target) {
        rows.add(new Row(metric, value, Optional.empty(), Optional.empty(), target));
    }

    public void rowAgainst(String metric, double value, String unit, double ceiling, String ceilingName, String target) {
        String ratio = ceiling > 0 ? percent(value / ceiling) : "n/a";
        rows.add(new Row(metric, number(value) + " " + unit, Optional.of(number(ceiling) + " " + unit + " (" + ceilingName + ")"),
                Optional.of(ratio), target));
    }

    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    public static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    public static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
    }

    public String markdown() {
        var out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        for (String line : context) {
            out.append("- ").append(line).append('\n');
        }
        out.append("\n| metric | value | ceiling | ratio | target |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.metric())
                    .append(" | ").append(row.value())
                    .append(" | ").append(row.ceiling().orElse(""))
                    .append(" | ").append(row.ratio().orElse(""))
                    .append(" | ").append(row.target())
                    .append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            for (String note : notes) {
                out.append("- ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Writes the report to {@code <name>.md} in {@code directory}, or to {@code <name>-2.md}, {@code <name>-3.md} …
     * when that name is taken: a second run the same day never overwrites the first (the file is created exclusively,
     * so two runs at once cannot pick the same name either). Returns the file written.
     */
    public Path writeNew(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        String markdown = markdown();
        for (int n = 1; ; n++) {
            Path file = directory.resolve(name + (n == 1 ? "" : "-" + n) + ".md");
            try {
                Files.writeString(file, markdown, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return file;
            } catch (FileAlreadyExistsException taken) {
                // the next number
            }
        }
    }
}
