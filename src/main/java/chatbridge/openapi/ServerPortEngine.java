package chatbridge.openapi;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * A platform-http engine whose consumers join the router of the HTTP server on one given port. The bridge runs two
 * servers (the partner-facing one, camel.server.*, and the management one, camel.management.*); Camel registers each
 * server's router under a name made from its port, and an engine left to find "the" server by itself picks either.
 * So each platform-http component names its server: platform-http the partner-facing one (routes/openapi.yaml),
 * admin-http the management one (routes/admin.yaml).
 */
public class ServerPortEngine extends VertxPlatformHttpEngine {
    private final int port;

    public ServerPortEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
