package chatbridge.admin;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine of the admin-http component: its consumers join the router of the management server
 * (camel.management.port, beside /observe/health) instead of the partner-facing one. Camel registers every
 * platform HTTP server's router under a name made from its port; this engine only names the other port.
 */
public class ManagementPortEngine extends VertxPlatformHttpEngine {
    private final int managementPort;

    public ManagementPortEngine(int managementPort) {
        this.managementPort = managementPort;
    }

    @Override
    public int getServerPort() {
        return managementPort;
    }
}
