package chatbridge.openapi;

import chatbridge.problems.Problem;
import chatbridge.problems.ProblemResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the HTTP server's own 413 with a problem+json body. A body over camel.server.maxBodySize is refused by
 * Vert.x's body handler before any Camel route runs, so the openapi-problems route configuration never sees it and
 * the client would get Vert.x's plain text instead.
 */
public class ServerLimitProblems implements StartupListener, Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLimitProblems.class);
    private static final int PAYLOAD_TOO_LARGE = 413;

    private final long maxBodyBytes;

    public ServerLimitProblems(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The router of the partner-facing server (camel.server.*) exists once that server has started.
        // Failure handlers are looked up in route order when a handler fails: first in line, for every path.
        context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer)
                .forEach(router -> router.route().order(Integer.MIN_VALUE).failureHandler(this));
    }

    @Override
    public void handle(RoutingContext routing) {
        if (routing.statusCode() != PAYLOAD_TOO_LARGE || routing.response().headWritten()) {
            routing.next();
            return;
        }
        String path = routing.normalizedPath();
        LOG.debug("Answering {} with 413: body over the server's limit of {} bytes", path, maxBodyBytes);
        Problem problem = new Problem(ProblemType.BODY_TOO_LARGE,
                "the body is larger than the server accepts (" + maxBodyBytes + " bytes)");
        routing.response()
                .setStatusCode(PAYLOAD_TOO_LARGE)
                .putHeader("Content-Type", ProblemResponses.CONTENT_TYPE)
                .end(ProblemResponses.json(problem, path));
    }
}
