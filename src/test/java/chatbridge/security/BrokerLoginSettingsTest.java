package chatbridge.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;

import chatbridge.testing.BridgeRunner;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/** When the embedded broker asks for a login, and what it does when it would have to but no user is configured. */
class BrokerLoginSettingsTest {

    @Test
    void aBrokerListeningBeyondLoopbackWithoutUsersRefusesToStart() {
        try (BridgeRunner bridge = new BridgeRunner()) {
            bridge.set("chatbridge.broker.embedded.acceptor", "tcp://0.0.0.0:" + bridge.brokerPort());
            IllegalStateException failure = assertThrows(IllegalStateException.class, bridge::start);
            String message = rootMessage(failure);
            assertTrue(message.contains("beyond loopback (0.0.0.0:" + bridge.brokerPort() + ")"), message);
            assertTrue(message.contains("BROKER_CHAT_PASSWORD") && message.contains("BROKER_OPERATOR_PASSWORD")
                    && message.contains("BROKER_ACCEPTOR"), "names the settings to set: " + message);
            assertTrue(!message.contains("\n"), "one line: " + message);
        }
    }

    @Test
    void loginCanBeRequiredOnLoopbackToo() throws Exception {
        try (BridgeRunner bridge = new BridgeRunner()) {
            bridge.set("chatbridge.broker.embedded.require-login", "true");
            assertTrue(rootMessage(assertThrows(IllegalStateException.class, bridge::start)).contains("BROKER_REQUIRE_LOGIN"));
        }
        try (BridgeRunner bridge = new BridgeRunner()) {
            bridge.set("chatbridge.broker.embedded.require-login", "true")
                    .set("chatbridge.broker.embedded.chat-user", "widget")
                    .set("chatbridge.broker.embedded.chat-password", "widget-password-1").start();
            assertThrows(JMSSecurityException.class, () -> new ActiveMQConnectionFactory(bridge.brokerUrl()).createConnection().close());
            try (Connection connection = new ActiveMQConnectionFactory(bridge.brokerUrl(), "widget", "widget-password-1").createConnection()) {
                connection.start();
            }
        }
    }

    @Test
    void onLoopbackByDefaultNoLoginIsNeeded() throws Exception {
        try (BridgeRunner bridge = new BridgeRunner().start();
             Connection connection = new ActiveMQConnectionFactory(bridge.brokerUrl()).createConnection()) {
            connection.start();
        }
    }

    static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
