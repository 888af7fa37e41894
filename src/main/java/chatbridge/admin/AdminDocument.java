package chatbridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import chatbridge.openapi.ApiDocuments;

/** The admin API's OpenAPI 3.1 description (openapi/admin-openapi.yaml in the jar), as written and as JSON. */
public class AdminDocument {
    private static final String RESOURCE = "/openapi/admin-openapi.yaml";
    private final String yaml;
    private final String json;

    public AdminDocument() {
        try (InputStream in = AdminDocument.class.getResourceAsStream(RESOURCE)) {
            this.yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " is part of the jar", e);
        }
        this.json = ApiDocuments.json(ApiDocuments.resource(RESOURCE));
    }

    public String yaml() {
        return yaml;
    }

    public String json() {
        return json;
    }
}
