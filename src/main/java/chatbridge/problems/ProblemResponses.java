package chatbridge.problems;

import java.util.Map;

import chatbridge.events.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders a {@link Problem} (or anything unexpected) as an RFC 9457 application/problem+json answer. */
public class ProblemResponses {
    /** What every API answers for a path it does not have, or for a bug. */
    private record Fallback(int status, String slug, String title) implements ProblemKind {
        static final Fallback NOT_FOUND = new Fallback(404, "not-found", "No such resource");
        static final Fallback INTERNAL_ERROR = new Fallback(500, "internal-error", "Internal error");
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    public void render(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem = null;
        for (Throwable t = caught; t != null && problem == null; t = t.getCause()) {
            if (t instanceof Problem p) {
                problem = p;
            }
        }
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        if (problem == null) {
            // A bug, not bad input: log it fully, tell the client nothing about internals.
            LOG.error("Unexpected error answering {}", path, caught);
            problem = new Problem(Fallback.INTERNAL_ERROR, "the request could not be processed");
        } else if (problem.type().status() >= 500) {
            LOG.warn("Answering {} with {}: {}", path, problem.type().status(), problem.getMessage());
        } else {
            LOG.debug("Answering {} with {}: {}", path, problem.type().status(), problem.getMessage());
        }
        write(exchange.getMessage(), problem, path);
    }

    public static void write(Message message, Problem problem, String instance) {
        // Nothing from the request (an Authorization header, say) is echoed back.
        message.getHeaders().clear();
        problem.headers().forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.type().status());
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setBody(json(problem, instance));
    }

    public static String json(Problem problem, String instance) {
        ObjectNode body = StrictJson.MAPPER.createObjectNode()
                .put("type", problem.type().uri())
                .put("title", problem.type().title())
                .put("status", problem.type().status())
                .put("detail", problem.getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (problem.field() != null) {
            body.put("field", problem.field());
        }
        for (Map.Entry<String, Object> extension : problem.extensions().entrySet()) {
            body.putPOJO(extension.getKey(), extension.getValue());
        }
        return body.toString();
    }

    /** What a path that is not there is. */
    public static ProblemKind notFoundKind() {
        return Fallback.NOT_FOUND;
    }

    /** For the catch-all routes: any path the API does not have. */
    public void notFound(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        write(exchange.getMessage(), new Problem(Fallback.NOT_FOUND, "no resource at " + path), path);
    }
}
