package chatbridge.broker;

import java.nio.file.Path;

import jakarta.jms.ConnectionFactory;

import chatbridge.ops.BrokerHealthCheck;
import chatbridge.security.DeliverySeal;
import chatbridge.security.DeliverySealKeys;
import chatbridge.security.Secrets;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of the bridge: the embedded broker unless chatbridge.broker.url names an external one, one pooled
 * connection factory for every consumer and producer, the batch-committing listener containers, the delivery seal
 * and the broker health check. The jms component itself is configured in application.properties
 * (camel.component.jms.*), with these beans.
 */
public class BrokerConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfiguration.class);
    private final Secrets secrets = Secrets.fromEnvironment();

    @BindToRegistry("embeddedBrokerUsers")
    public EmbeddedBrokerUsers embeddedBrokerUsers(
            @PropertyInject("chatbridge.broker.embedded.require-login") boolean requireLogin,
            @PropertyInject("chatbridge.broker.embedded.chat-user") String chatUser,
            @PropertyInject("chatbridge.broker.embedded.chat-password") String chatPassword,
            @PropertyInject("chatbridge.broker.embedded.operator-user") String operatorUser,
            @PropertyInject("chatbridge.broker.embedded.operator-password") String operatorPassword) {
        return new EmbeddedBrokerUsers(requireLogin, chatUser.trim(), secrets.resolve(chatPassword, "BROKER_CHAT_PASSWORD"),
                operatorUser.trim(), secrets.resolve(operatorPassword, "BROKER_OPERATOR_PASSWORD"));
    }

    @BindToRegistry(value = "brokerConnection", lazy = true)
    public BrokerConnection brokerConnection(
            @PropertyInject("chatbridge.broker.url") String url,
            @PropertyInject("chatbridge.broker.user") String user,
            @PropertyInject("chatbridge.broker.password") String password,
            @PropertyInject("chatbridge.broker.embedded.config") String brokerXml,
            @PropertyInject("chatbridge.broker.embedded.data-dir") String dataDir,
            @PropertyInject("chatbridge.broker.embedded.acceptor") String acceptor,
            @PropertyInject("chatbridge.broker.embedded.properties") String brokerProperties,
            @BeanInject("embeddedBrokerUsers") EmbeddedBrokerUsers users) {
        if (!url.isBlank()) {
            return BrokerConnection.external(url, user, secrets.resolve(password, "BROKER_PASSWORD"));
        }
        return BrokerConnection.embedded(new EmbeddedBroker(brokerXml, Path.of(dataDir), acceptor, brokerProperties, users), users);
    }

    /** Everything the bridge sends and receives goes through this pool, so the transacted consumer's session
     *  is the one its in-route sends use (same connection factory), and sends outside a route reuse sessions. */
    @BindToRegistry(value = "jmsConnectionFactory", lazy = true)
    public ConnectionFactory jmsConnectionFactory(@BeanInject("brokerConnection") BrokerConnection broker,
                                                  @PropertyInject("chatbridge.broker.max-connections") int maxConnections,
                                                  @PropertyInject("chatbridge.broker.consumer-window-size") int consumerWindowSize) {
        ActiveMQConnectionFactory artemis = broker.newConnectionFactory();
        // Remember destinations once looked up: otherwise every send asks the broker, in a blocking round trip,
        // whether the queue exists (measured: three round trips per event on top of the commit).
        artemis.setCacheDestinations(true);
        // Few messages waiting in a consumer's buffer: a rollback returns the buffered ones to the broker with their
        // delivery count raised, so a failing delivery spends a neighbour's attempt and moves it a step ahead in the
        // retry schedule (seen in the fault suite). Artemis' default of 1 MiB holds ~1,000 events; 16 KiB drains
        // as fast here (bench: 3,961 vs 4,039 events/s), 0 (no buffer) costs 37 %.
        artemis.setConsumerWindowSize(consumerWindowSize);
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(maxConnections);
        pool.setMaxSessionsPerConnection(500);
        pool.setUseAnonymousProducers(true);
        return pool;
    }

    /**
     * The bridges' conversation among themselves (circuit news, reply claims: routes/partner-controls.yaml,
     * routes/openapi.yaml) on connections of its own: its few long-lived consumers then never wait for, or hold up,
     * the pool that events and the Open API go through, when the broker goes away and every pooled connection is being
     * replaced.
     */
    @BindToRegistry(value = "controlConnectionFactory", lazy = true, destroyMethod = "stop")
    public ConnectionFactory controlConnectionFactory(@BeanInject("brokerConnection") BrokerConnection broker) {
        ActiveMQConnectionFactory artemis = broker.newConnectionFactory();
        artemis.setCacheDestinations(true);
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(1);
        pool.setUseAnonymousProducers(true);
        return pool;
    }

    /** Queue depths, pause and resume, for the admin API and the partner controls. */
    @BindToRegistry(value = "brokerAdmin", lazy = true, destroyMethod = "close")
    public BrokerAdmin brokerAdmin(@BeanInject("brokerConnection") BrokerConnection broker) {
        return new BrokerAdmin(broker);
    }

    /** camel.component.jms.messageListenerContainerFactory: transacted consumers commit per batch, not per message
     *  (BatchCommitListenerContainer says what that costs). */
    @BindToRegistry("batchCommitListenerContainers")
    public MessageListenerContainerFactory batchCommitListenerContainers(
            @PropertyInject("chatbridge.consumer.batch-size") int batchSize,
            @PropertyInject("chatbridge.consumer.batch-max-wait-millis") long batchMaxWaitMillis) {
        return endpoint -> new BatchCommitListenerContainer(endpoint, batchSize, batchMaxWaitMillis);
    }

    /**
     * The seal the fan-out puts on delivery messages and the delivery route checks. Its key is the same for every
     * bridge on the broker: configured, or for the embedded broker kept beside its journal.
     */
    @BindToRegistry(value = "deliverySeal", lazy = true)
    public DeliverySeal deliverySeal(@PropertyInject("chatbridge.security.message-key") String messageKey,
                                     @PropertyInject("chatbridge.broker.embedded.data-dir") String dataDir,
                                     @BeanInject("brokerConnection") BrokerConnection broker) {
        Path generated = broker.embeddedBroker().isPresent() ? Path.of(dataDir, "delivery-seal.key") : null;
        return new DeliverySeal(DeliverySealKeys.load(messageKey, generated, secrets));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        BrokerConnection broker = context.getRegistry().lookupByNameAndType("brokerConnection", BrokerConnection.class);
        if (broker.embeddedBroker().isPresent()) {
            EmbeddedBroker embedded = broker.embeddedBroker().get();
            embedded.start();
            // Services stop in reverse order, after the routes: the pool closes first, then the broker.
            context.addService(embedded, true, false);
        } else {
            LOG.info("Using external broker {}", broker.description());
        }
        JmsPoolConnectionFactory pool = (JmsPoolConnectionFactory) context.getRegistry()
                .lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
        context.addService(new PoolCloser(pool), true, false);
        HealthCheckRegistry.get(context).register(brokerHealthCheck(broker, context));
    }

    /** DOWN while the broker cannot be reached. Fails fast instead of reconnecting, so it answers within seconds. */
    private static BrokerHealthCheck brokerHealthCheck(BrokerConnection broker, CamelContext context) {
        ActiveMQConnectionFactory direct = broker.newConnectionFactory();
        direct.setReconnectAttempts(0);
        direct.setInitialConnectAttempts(1);
        direct.setCallTimeout(3000);
        BrokerHealthCheck health = new BrokerHealthCheck(direct, broker.description());
        health.setCamelContext(context);
        return health;
    }

    /** Closes the pooled connections when Camel stops (after its routes, before the embedded broker). */
    private static final class PoolCloser extends ServiceSupport {
        private final JmsPoolConnectionFactory pool;

        PoolCloser(JmsPoolConnectionFactory pool) {
            this.pool = pool;
        }

        @Override
        protected void doStop() {
            pool.stop();
        }
    }
}
