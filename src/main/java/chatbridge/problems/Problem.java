package chatbridge.problems;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem an HTTP API of the bridge (the partner Open API, the admin API) answers with. Thrown by any step
 * of the request; the route configuration of that API (openapi-problems, admin-problems) renders it as
 * application/problem+json through {@link ProblemResponses}.
 */
public class Problem extends RuntimeException {
    private final ProblemKind type;
    private final String field;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Problem(ProblemKind type, String detail) {
        this(type, detail, null);
    }

    public Problem(ProblemKind type, String detail, String field) {
        super(detail, null, false, false);
        this.type = type;
        this.field = field;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Problem extension(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public ProblemKind type() {
        return type;
    }

    /** The offending request field (JSON path), for validation problems. */
    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
