package chatbridge.broker;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Artemis broker that runs inside the bridge when no external BROKER_URL is given.
 * It reads the same broker.xml a standalone broker uses, then swaps in its own paths and acceptor.
 */
public class EmbeddedBroker extends ServiceSupport {
    /** The bridge's own connections use the in-VM acceptor: no sockets, no serialization through Netty. */
    public static final String IN_VM_URL = "vm://0";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String brokerXml;
    private final Path dataDir;
    private final String tcpAcceptor;
    private final String brokerPropertiesFile;
    private EmbeddedActiveMQ server;

    /**
     * @param brokerXml            a file path, or a classpath resource when no such file exists
     * @param dataDir              journal, bindings, paging and large messages live below it
     * @param tcpAcceptor          the acceptor other clients connect to; blank for in-VM only
     * @param brokerPropertiesFile optional Artemis broker properties applied on top of broker.xml; blank for none
     */
    public EmbeddedBroker(String brokerXml, Path dataDir, String tcpAcceptor, String brokerPropertiesFile) {
        this.brokerXml = brokerXml;
        this.dataDir = dataDir;
        this.tcpAcceptor = tcpAcceptor;
        this.brokerPropertiesFile = brokerPropertiesFile;
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = loadConfiguration();
        server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        LOG.info("Embedded Artemis started: data in {}, journal {} buffer timeout {} ns, acceptor {}", dataDir.toAbsolutePath(),
                server.getActiveMQServer().getConfiguration().getJournalType(),
                server.getActiveMQServer().getConfiguration().getJournalBufferTimeout_NIO(),
                tcpAcceptor.isBlank() ? "(in-VM only)" : tcpAcceptor);
    }

    private Configuration loadConfiguration() throws Exception {
        FileConfiguration config = new FileConfiguration();
        FileDeploymentManager deployment = new FileDeploymentManager(configUrl());
        deployment.addDeployable(config);
        deployment.readConfiguration();

        Files.createDirectories(dataDir);
        config.setBrokerInstance(dataDir.toFile());
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        // Listens on loopback only (see chatbridge.broker.embedded.acceptor); a standalone broker keeps security on.
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);

        config.getAcceptorConfigurations().clear();
        config.addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (!tcpAcceptor.isBlank()) {
            config.addAcceptorConfiguration("tcp", tcpAcceptor);
        }
        if (!brokerPropertiesFile.isBlank()) {
            config.parseProperties(new File(brokerPropertiesFile).getAbsolutePath());
        }
        return config;
    }

    private String configUrl() {
        File file = new File(brokerXml);
        if (file.isFile()) {
            return file.toURI().toString();
        }
        if (EmbeddedBroker.class.getClassLoader().getResource(brokerXml) == null) {
            throw new IllegalStateException("Broker configuration " + brokerXml
                    + " is neither a file nor on the classpath (chatbridge.broker.embedded.config)");
        }
        return brokerXml;
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
        // Artemis keeps non-daemon in-VM and client threads alive otherwise, and the JVM would linger ~60 s.
        InVMConnector.resetThreadPool();
        ActiveMQClient.clearThreadPools();
        LOG.info("Embedded Artemis stopped");
    }
}
