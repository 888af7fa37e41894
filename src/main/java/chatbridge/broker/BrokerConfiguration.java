package chatbridge.broker;

import java.nio.file.Path;

import jakarta.jms.ConnectionFactory;

import chatbridge.ops.BrokerHealthCheck;
import chatbridge.security.DeliverySeal;
import chatbridge.security.DeliverySealKeys;
import chatbridge.security.Secrets;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.ConsumerType;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the broker: the embedded one unless chatbridge.broker.url names an external broker, one pooled
 * connection factory for every consumer and producer, and the jms component the routes use.
 */
public class BrokerConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfiguration.class);

    @PropertyInject(value = "chatbridge.broker.url", defaultValue = "")
    private String brokerUrl;
    @PropertyInject(value = "chatbridge.broker.user", defaultValue = "")
    private String user;
    @PropertyInject(value = "chatbridge.broker.password", defaultValue = "")
    private String password;
    @PropertyInject(value = "chatbridge.broker.max-connections", defaultValue = "4")
    private int maxConnections;
    @PropertyInject(value = "chatbridge.broker.consumer-window-size", defaultValue = "16384")
    private int consumerWindowSize;
    @PropertyInject(value = "chatbridge.consumer.batch-size", defaultValue = "100")
    private int batchSize;
    @PropertyInject(value = "chatbridge.consumer.batch-max-wait-millis", defaultValue = "5")
    private long batchMaxWaitMillis;
    @PropertyInject(value = "chatbridge.broker.embedded.config", defaultValue = "artemis/broker.xml")
    private String embeddedConfig;
    @PropertyInject(value = "chatbridge.broker.embedded.data-dir", defaultValue = "data")
    private String embeddedDataDir;
    @PropertyInject(value = "chatbridge.broker.embedded.acceptor", defaultValue = "")
    private String embeddedAcceptor;
    @PropertyInject(value = "chatbridge.broker.embedded.properties", defaultValue = "")
    private String embeddedBrokerProperties;
    @PropertyInject(value = "chatbridge.broker.embedded.require-login", defaultValue = "false")
    private boolean embeddedRequireLogin;
    @PropertyInject(value = "chatbridge.broker.embedded.chat-user", defaultValue = "chat-system")
    private String embeddedChatUser;
    @PropertyInject(value = "chatbridge.broker.embedded.chat-password", defaultValue = "")
    private String embeddedChatPassword;
    @PropertyInject(value = "chatbridge.broker.embedded.operator-user", defaultValue = "operator")
    private String embeddedOperatorUser;
    @PropertyInject(value = "chatbridge.broker.embedded.operator-password", defaultValue = "")
    private String embeddedOperatorPassword;
    @PropertyInject(value = "chatbridge.security.message-key", defaultValue = "")
    private String messageKey;

    private final Secrets secrets = Secrets.fromEnvironment();
    private EmbeddedBrokerUsers embeddedUsers;
    private JmsPoolConnectionFactory pool;

    boolean isEmbedded() {
        return brokerUrl == null || brokerUrl.isBlank();
    }

    /** Everything the bridge sends and receives goes through this pool, so the transacted consumer's session
     *  is the one its in-route sends use (same connection factory), and sends outside a route reuse sessions. */
    @BindToRegistry("jmsConnectionFactory")
    public ConnectionFactory jmsConnectionFactory() {
        ActiveMQConnectionFactory artemis = bridgeConnectionFactory();
        // Remember destinations once looked up: otherwise every send asks the broker, in a blocking round trip,
        // whether the queue exists (measured: three round trips per event on top of the commit).
        artemis.setCacheDestinations(true);
        // Few messages waiting in a consumer's buffer: a rollback returns the buffered ones to the broker with their
        // delivery count raised, so a failing delivery spends a neighbour's attempt and moves it a step ahead in the
        // retry schedule (seen in the fault suite). Artemis' default of 1 MiB holds ~1,000 events; 16 KiB drains
        // as fast here (bench: 3,961 vs 4,039 events/s), 0 (no buffer) costs 37 %.
        artemis.setConsumerWindowSize(consumerWindowSize);
        pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(maxConnections);
        pool.setMaxSessionsPerConnection(500);
        pool.setUseAnonymousProducers(true);
        return pool;
    }

    @BindToRegistry("jms")
    public JmsComponent jms(@org.apache.camel.BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory) {
        JmsComponent jms = JmsComponent.jmsComponent(connectionFactory);
        // A broker outage must not end a consumer: keep trying to reconnect every second.
        jms.getConfiguration().setRecoveryInterval(1000);
        // A rollback is how a delivery asks the broker for a later retry, and WebhookDeliveries already logged why;
        // any other failure is logged by Camel's error handler.
        jms.getConfiguration().setErrorHandlerLoggingLevel(org.apache.camel.LoggingLevel.DEBUG);
        jms.getConfiguration().setErrorHandlerLogStackTrace(false);
        // Transacted consumers commit per batch, not per message (BatchCommitListenerContainer says what that costs).
        jms.getConfiguration().setConsumerType(ConsumerType.Custom);
        jms.getConfiguration().setMessageListenerContainerFactory(
                endpoint -> new BatchCommitListenerContainer(endpoint, batchSize, batchMaxWaitMillis));
        return jms;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (isEmbedded()) {
            EmbeddedBroker broker = new EmbeddedBroker(embeddedConfig, Path.of(embeddedDataDir), embeddedAcceptor,
                    embeddedBrokerProperties, embeddedUsers());
            broker.start();
            // Services stop in reverse order, after the routes: the pool closes first, then the broker.
            context.addService(broker, true, false);
        } else {
            LOG.info("Using external broker {}", brokerUrl);
        }
        context.addService(new PoolCloser(), true, false);
        BrokerHealthCheck health = new BrokerHealthCheck(healthCheckConnectionFactory(),
                isEmbedded() ? "embedded" : brokerUrl);
        health.setCamelContext(context);
        HealthCheckRegistry.get(context).register(health);
    }

    /**
     * The seal the fan-out puts on delivery messages and the delivery route checks. Its key is the same for every
     * bridge on the broker: configured, or for the embedded broker kept beside its journal.
     */
    @BindToRegistry("deliverySeal")
    public DeliverySeal deliverySeal() {
        Path generated = isEmbedded() ? Path.of(embeddedDataDir, "delivery-seal.key") : null;
        return new DeliverySeal(DeliverySealKeys.load(messageKey, generated, secrets));
    }

    /** In-VM to the embedded broker as its bridge user, or the external broker with BROKER_USER/BROKER_PASSWORD. */
    private ActiveMQConnectionFactory bridgeConnectionFactory() {
        if (isEmbedded()) {
            EmbeddedBrokerUsers users = embeddedUsers();
            return new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL, users.bridgeUser(), users.bridgePassword());
        }
        return new ActiveMQConnectionFactory(brokerUrl, blankToNull(user),
                blankToNull(secrets.resolve(password, "BROKER_PASSWORD")));
    }

    private synchronized EmbeddedBrokerUsers embeddedUsers() {
        if (embeddedUsers == null) {
            embeddedUsers = new EmbeddedBrokerUsers(embeddedRequireLogin, embeddedChatUser.trim(),
                    secrets.resolve(embeddedChatPassword, "BROKER_CHAT_PASSWORD"), embeddedOperatorUser.trim(),
                    secrets.resolve(embeddedOperatorPassword, "BROKER_OPERATOR_PASSWORD"));
        }
        return embeddedUsers;
    }

    /** Fails fast instead of reconnecting, so a health check answers within seconds. */
    private ConnectionFactory healthCheckConnectionFactory() {
        ActiveMQConnectionFactory factory = bridgeConnectionFactory();
        factory.setReconnectAttempts(0);
        factory.setInitialConnectAttempts(1);
        factory.setCallTimeout(3000);
        return factory;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Closes the pooled connections when Camel stops (after its routes). */
    private final class PoolCloser extends org.apache.camel.support.service.ServiceSupport {
        @Override
        protected void doStop() {
            if (pool != null) {
                pool.stop();
            }
        }
    }
}
