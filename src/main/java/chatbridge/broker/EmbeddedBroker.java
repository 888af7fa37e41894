package chatbridge.broker;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Artemis broker that runs inside the bridge when no external BROKER_URL is given.
 * It reads the same broker.xml a standalone broker uses, then swaps in its own paths and acceptor. Login is required,
 * with the roles of broker.xml, whenever an acceptor listens beyond loopback (or BROKER_REQUIRE_LOGIN says so); a
 * broker reachable from other machines without users configured refuses to start.
 */
public class EmbeddedBroker extends ServiceSupport {
    /** The bridge's own connections use the in-VM acceptor: no sockets, no serialization through Netty. */
    public static final String IN_VM_URL = "vm://0";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String brokerXml;
    private final Path dataDir;
    private final String tcpAcceptor;
    private final String brokerPropertiesFile;
    private final EmbeddedBrokerUsers users;
    private EmbeddedActiveMQ server;

    /**
     * @param brokerXml            a file path, or a classpath resource when no such file exists
     * @param dataDir              journal, bindings, paging and large messages live below it
     * @param tcpAcceptor          the acceptor other clients connect to; blank for in-VM only
     * @param brokerPropertiesFile optional Artemis broker properties applied on top of broker.xml; blank for none
     * @param users                who may log in, when login is required
     */
    public EmbeddedBroker(String brokerXml, Path dataDir, String tcpAcceptor, String brokerPropertiesFile,
                          EmbeddedBrokerUsers users) {
        this.brokerXml = brokerXml;
        this.dataDir = dataDir;
        this.tcpAcceptor = tcpAcceptor;
        this.brokerPropertiesFile = brokerPropertiesFile;
        this.users = users;
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = loadConfiguration();
        List<String> exposed = acceptorsBeyondLoopback(config);
        boolean loginRequired = users.requireLogin() || !exposed.isEmpty();
        if (loginRequired && users.clientUsers().isEmpty()) {
            throw new IllegalStateException((exposed.isEmpty() ? "BROKER_REQUIRE_LOGIN is set"
                    : "The embedded broker would listen beyond loopback (" + String.join(", ", exposed) + ")")
                    + ": set BROKER_CHAT_PASSWORD and/or BROKER_OPERATOR_PASSWORD (users BROKER_CHAT_USER, "
                    + "BROKER_OPERATOR_USER), or BROKER_ACCEPTOR to a 127.0.0.1 address");
        }
        config.setSecurityEnabled(loginRequired);
        server = new EmbeddedActiveMQ().setConfiguration(config).setSecurityManager(users.securityManager());
        server.start();
        LOG.info("Embedded Artemis started: data in {}, journal {} buffer timeout {} ns, acceptor {}, {}",
                dataDir.toAbsolutePath(), server.getActiveMQServer().getConfiguration().getJournalType(),
                server.getActiveMQServer().getConfiguration().getJournalBufferTimeout_NIO(),
                tcpAcceptor.isBlank() ? "(in-VM only)" : tcpAcceptor,
                loginRequired ? "login required, users " + users.clientUsers() : "no login (loopback only)");
    }

    /** "host:port" of every socket acceptor whose host is not a loopback address (0.0.0.0 included). */
    static List<String> acceptorsBeyondLoopback(Configuration config) {
        List<String> exposed = new ArrayList<>();
        for (TransportConfiguration acceptor : config.getAcceptorConfigurations()) {
            if (InVMAcceptorFactory.class.getName().equals(acceptor.getFactoryClassName())) {
                continue;
            }
            Object hosts = acceptor.getParams().getOrDefault(TransportConstants.HOST_PROP_NAME, TransportConstants.DEFAULT_HOST);
            for (String host : String.valueOf(hosts).split(",")) {
                if (!isLoopback(host.trim())) {
                    exposed.add(host.trim() + ":" + acceptor.getParams().getOrDefault(TransportConstants.PORT_PROP_NAME,
                            TransportConstants.DEFAULT_PORT));
                }
            }
        }
        return exposed;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false; // cannot tell where it listens: treat it as exposed
        }
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
