package chatbridge.broker;

import java.util.Optional;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * How the bridge reaches its broker: the embedded one in-VM, as its own bridge user, or an external one
 * (chatbridge.broker.url) with BROKER_USER / BROKER_PASSWORD.
 */
public final class BrokerConnection {
    private final EmbeddedBroker embedded;
    private final String url;
    private final String user;
    private final String password;

    private BrokerConnection(EmbeddedBroker embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static BrokerConnection embedded(EmbeddedBroker broker, EmbeddedBrokerUsers users) {
        return new BrokerConnection(broker, EmbeddedBroker.IN_VM_URL, users.bridgeUser(), users.bridgePassword());
    }

    static BrokerConnection external(String url, String user, String password) {
        return new BrokerConnection(null, url, blankToNull(user), blankToNull(password));
    }

    /** The broker running inside this bridge, which it must start and stop; empty for an external broker. */
    public Optional<EmbeddedBroker> embeddedBroker() {
        return Optional.ofNullable(embedded);
    }

    /** A fresh, unpooled connection factory. */
    ActiveMQConnectionFactory newConnectionFactory() {
        return new ActiveMQConnectionFactory(url, user, password);
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** For logs and health: "embedded" or the broker URL. */
    String description() {
        return embedded != null ? "embedded" : url;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
