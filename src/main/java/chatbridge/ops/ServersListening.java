package chatbridge.ops;

import java.util.List;

import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * Fails the start when an HTTP server of the bridge (the partner-facing one, HTTP_PORT, and the management one,
 * MANAGEMENT_PORT) could not listen. Camel's Vert.x server only logs a failed listen and starts anyway: a bridge whose
 * port another process holds would run without its Open API, or without the health and metrics its operators watch,
 * and the management port, if it is the free one, would even answer UP.
 */
public class ServersListening implements StartupListener {
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        List<Integer> notListening = context.hasServices(VertxPlatformHttpServer.class).stream()
                .filter(server -> !listening(server))
                .map(VertxPlatformHttpServer::getConfigurationPort)
                .sorted()
                .toList();
        if (!notListening.isEmpty()) {
            throw new IllegalStateException("could not listen on port " + notListening + ": another process holds it, or "
                    + "the address is not this machine's (HTTP_PORT, HTTP_HOST, MANAGEMENT_PORT, MANAGEMENT_HOST)");
        }
    }

    /**
     * Vert.x's public API has no "is listening" (its actual port is the configured one even when the bind failed);
     * its server base class has one. A server of another kind is taken to listen.
     */
    private static boolean listening(VertxPlatformHttpServer server) {
        return !(server.getServer() instanceof TCPServerBase base) || base.isListening();
    }
}
