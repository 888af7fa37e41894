package chatbridge.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The OpenAPI 3.1 description of the Open API (src/main/resources/openapi/openapi.yaml), as YAML and as JSON. */
public class OpenApiDocument {
    private final String yaml;
    private final String json;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi/openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            json = new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("openapi/openapi.yaml is part of the jar", e);
        }
    }

    public String yaml() {
        return yaml;
    }

    public String json() {
        return json;
    }
}
