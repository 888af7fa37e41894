package chatbridge.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.utils.SelectorTranslator;

/**
 * Asks the broker about its queues, and pauses and resumes them, through Artemis' management address
 * (activemq.management): the same calls for the embedded broker (in-VM) and an external one, as the bridge's own
 * user (role bridge, which broker.xml gives the manage permission). One connection, opened on first use and again
 * after a failure; calls are serialised, since a requestor is not thread-safe.
 */
public class BrokerAdmin {
    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final long TIMEOUT_MILLIS = 5000;

    private final BrokerConnection broker;
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;
    private ClientRequestor requestor;

    BrokerAdmin(BrokerConnection broker) {
        this.broker = broker;
    }

    /** For a client outside the bridge (the benchmark): the broker at url, with that login (null: none). */
    public static BrokerAdmin external(String url, String user, String password) {
        return new BrokerAdmin(BrokerConnection.external(url, user, password));
    }

    /**
     * How full each queue is. A queue that does not exist (yet: queues appear on first use) counts as empty.
     *
     * @param messages   messages on the queue that no consumer holds (scheduled and paged ones included)
     * @param delivering messages handed to consumers and not yet acknowledged
     */
    public record Depth(long messages, long delivering, boolean paused) {
        static final Depth NONE = new Depth(0, 0, false);
    }

    public Map<String, Depth> depths(Collection<String> queues) {
        return depths(queues, new HashSet<>(queueNames()));
    }

    /** @param existing the broker's queue names, when the caller has just read them */
    public Map<String, Depth> depths(Collection<String> queues, Set<String> existing) {
        Map<String, Depth> depths = new LinkedHashMap<>();
        for (String queue : queues) {
            if (!existing.contains(queue)) {
                depths.put(queue, Depth.NONE);
                continue;
            }
            String resource = ResourceNames.QUEUE + queue;
            long all = ((Number) attribute(resource, "messageCount")).longValue();
            long delivering = ((Number) attribute(resource, "deliveringCount")).longValue();
            depths.put(queue, new Depth(Math.max(0, all - delivering), delivering, (Boolean) attribute(resource, "paused")));
        }
        return depths;
    }

    public boolean isPaused(String queue) {
        return depths(List.of(queue)).get(queue).paused();
    }

    /**
     * How many messages on the queue match the JMS selector (null: all), as the broker counts them: what a browse
     * of the queue must find.
     */
    public long countMessages(String queue, String jmsSelector) {
        String resource = ResourceNames.QUEUE + queue;
        Object count = jmsSelector == null ? invoke(resource, "countMessages")
                : invoke(resource, "countMessages", SelectorTranslator.convertToActiveMQFilterString(jmsSelector));
        return ((Number) count).longValue();
    }

    /** Stops the broker handing the queue's messages to any consumer; persisted, so it outlasts a broker restart. */
    public void pause(String queue) {
        invoke(ResourceNames.QUEUE + queue, "pause", true);
    }

    public void resume(String queue) {
        invoke(ResourceNames.QUEUE + queue, "resume");
    }

    public List<String> queueNames() {
        List<String> names = new ArrayList<>();
        for (Object name : (Object[]) attribute(ResourceNames.BROKER, "queueNames")) {
            names.add(String.valueOf(name));
        }
        return names;
    }

    private Object attribute(String resource, String name) {
        return call(resource, name, null);
    }

    private Object invoke(String resource, String operation, Object... args) {
        return call(resource, operation, args);
    }

    /** @param args null for an attribute, the arguments (possibly none) for an operation */
    private synchronized Object call(String resource, String name, Object[] args) {
        try {
            ClientRequestor requestor = requestor();
            ClientMessage request = session.createMessage(false);
            if (args == null) {
                ManagementHelper.putAttribute(request, resource, name);
            } else {
                ManagementHelper.putOperationInvocation(request, resource, name, args);
            }
            ClientMessage reply = requestor.request(request, TIMEOUT_MILLIS);
            if (reply == null) {
                throw new BrokerUnavailableException("the broker did not answer " + name + " on " + resource + " within "
                        + TIMEOUT_MILLIS + " ms", null);
            }
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new BrokerUnavailableException("the broker refused " + name + " on " + resource + ": "
                        + ManagementHelper.getResult(reply), null);
            }
            return ManagementHelper.getResult(reply);
        } catch (BrokerUnavailableException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new BrokerUnavailableException("cannot reach the broker's management address: " + e.getMessage(), e);
        }
    }

    private ClientRequestor requestor() throws Exception {
        if (requestor == null) {
            locator = ActiveMQClient.createServerLocator(broker.url());
            locator.setCallTimeout(TIMEOUT_MILLIS);
            locator.setReconnectAttempts(0);
            factory = locator.createSessionFactory();
            session = factory.createSession(broker.user(), broker.password(), false, true, true, false, 1);
            requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS);
            session.start();
        }
        return requestor;
    }

    public synchronized void close() {
        try {
            if (requestor != null) {
                requestor.close();
            }
            if (session != null) {
                session.close();
            }
        } catch (Exception ignored) {
            // closing a connection that already failed
        } finally {
            if (factory != null) {
                factory.close();
            }
            if (locator != null) {
                locator.close();
            }
            requestor = null;
            session = null;
            factory = null;
            locator = null;
        }
    }

    /** The broker could not be reached, did not answer in time, or refused the call: nothing was changed. */
    public static final class BrokerUnavailableException extends RuntimeException {
        BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
