package chatbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Secret values in configuration: {@code env:NAME} reads an environment variable, {@code file:/path} a file (a
 * Docker or Kubernetes secret, say), anything else is the value itself. So no secret has to be written into a
 * configuration file, and none is ever part of an error message.
 */
public final class Secrets {
    private final UnaryOperator<String> environment;

    /** @param environment looks up environment variables (System::getenv in production) */
    public Secrets(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System::getenv);
    }

    /**
     * @param where names the setting in error messages, e.g. "BROKER_CHAT_PASSWORD"
     * @return the value, trimmed; blank stays blank
     */
    public String resolve(String value, String where) {
        if (value == null) {
            return "";
        }
        if (value.startsWith("env:")) {
            String name = value.substring(4);
            String resolved = environment.apply(name);
            if (resolved == null || resolved.isBlank()) {
                throw new IllegalArgumentException(where + ": environment variable " + name + " is not set");
            }
            return resolved.trim();
        }
        if (value.startsWith("file:")) {
            Path path = Path.of(value.substring(5));
            try {
                return Files.readString(path, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        return value.trim();
    }
}
