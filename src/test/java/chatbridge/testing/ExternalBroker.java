package chatbridge.testing;

import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * A persistent Artemis broker the test owns (not the bridge's embedded one), so a test can stop and restart it
 * under a bridge connected with BROKER_URL.
 */
public final class ExternalBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private EmbeddedActiveMQ server;

    public ExternalBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public ExternalBroker start() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.addAcceptorConfiguration("tcp", url());
        server = new EmbeddedActiveMQ().setConfiguration(config).start();
        return this;
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
