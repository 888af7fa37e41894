package chatbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Where the {@link DeliverySeal} keys come from: BRIDGE_MESSAGE_KEY (one or more keys, space-separated, each a
 * value, {@code env:NAME} or {@code file:/path}), or, for the embedded broker only, a key generated on first start
 * and kept next to the broker's journal, so it lives exactly as long as the messages it sealed.
 */
public final class DeliverySealKeys {
    /** Shorter keys are refused: the seal is only as strong as its key. */
    static final int MIN_KEY_CHARACTERS = 32;
    private static final String SETTING = "BRIDGE_MESSAGE_KEY (chatbridge.security.message-key)";

    private DeliverySealKeys() {
    }

    /**
     * @param configured   the setting; blank for none
     * @param generatedKey the file holding a generated key when none is configured, or null when a key must be
     *                     configured (an external broker: every bridge on it needs the same key)
     */
    public static List<byte[]> load(String configured, Path generatedKey, Secrets secrets) {
        List<byte[]> keys = new ArrayList<>();
        for (String part : configured == null ? new String[0] : configured.trim().split("\\s+")) {
            if (part.isBlank()) {
                continue;
            }
            String key = secrets.resolve(part, SETTING);
            if (key.length() < MIN_KEY_CHARACTERS) {
                throw new IllegalArgumentException(SETTING + ": each key must be at least " + MIN_KEY_CHARACTERS
                        + " characters (for example: openssl rand -base64 32)");
            }
            keys.add(key.getBytes(StandardCharsets.UTF_8));
        }
        if (!keys.isEmpty()) {
            return List.copyOf(keys);
        }
        if (generatedKey == null) {
            throw new IllegalArgumentException("Set " + SETTING + " to a secret of at least " + MIN_KEY_CHARACTERS
                    + " characters, the same for every bridge on this broker: with an external broker chat-bridge "
                    + "cannot keep a generated one");
        }
        return List.of(generatedOrExisting(generatedKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String generatedOrExisting(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = Base64.getEncoder().encodeToString(random);
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(partial, key + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions protect it
            }
            Files.move(partial, file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated delivery seal key in " + file, e);
        }
    }
}
