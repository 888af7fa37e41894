package chatbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chatbridge.catalog.CatalogLoader;
import chatbridge.catalog.EventCatalog;

/** The event catalog outside a running bridge: {{env:NAME:default}} placeholders take their defaults. */
public final class Catalogs {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{env:[A-Z0-9_]+:([^}]*)}}");

    private Catalogs() {
    }

    /** config/events, the catalog the bridge ships with. */
    public static EventCatalog builtIn() {
        return load(Path.of("config/events"));
    }

    public static EventCatalog load(Path directory) {
        return new CatalogLoader(Catalogs::defaults).load(directory);
    }

    /** A copy of config/events in a new temporary directory, for a test to add types to. */
    public static Path copy() {
        try {
            Path directory = Files.createTempDirectory("catalog");
            copyInto(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyInto(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (var files = Files.list(Path.of("config/events"))) {
            for (Path file : files.toList()) {
                Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A copy of config/events in {@code directory} with one delivery setting of one type changed, e.g.
     * (dir, "order.completed", "maxAttempts", "3"): for tests that need a short retry budget.
     */
    public static Path copyWithDelivery(Path directory, String type, String key, String value) {
        try {
            copyInto(directory);
            Path entry = directory.resolve(type + ".yaml");
            String yaml = Files.readString(entry);
            String changed = yaml.replaceAll("(?m)^  " + key + ": .*$", "  " + key + ": \"" + value + "\"");
            if (changed.equals(yaml)) {
                throw new IllegalArgumentException(entry + " has no delivery." + key);
            }
            Files.writeString(entry, changed);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String defaults(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }
}
