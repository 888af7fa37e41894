package chatbridge.bench;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * Pauses and resumes a queue in the broker (its management address), so that a backlog can be built up under
 * consumers that are already running and warm: the broker holds the messages back from them until the resume.
 * Restarting the bridge to stop its consumers would also throw away everything its JIT compiled.
 */
final class QueuePause implements AutoCloseable {
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientRequestor requestor;

    /** @param user null for the embedded broker, which asks no login on loopback */
    QueuePause(String brokerUrl, String user, String password) throws Exception {
        locator = ActiveMQClient.createServerLocator(brokerUrl);
        factory = locator.createSessionFactory();
        session = factory.createSession(user, password, false, true, true, false, 1);
        requestor = new ClientRequestor(session, "activemq.management");
        session.start();
    }

    void pause(String queue) throws Exception {
        invoke(queue, "pause");
    }

    void resume(String queue) throws Exception {
        invoke(queue, "resume");
    }

    private void invoke(String queue, String operation) throws Exception {
        ClientMessage request = session.createMessage(false);
        ManagementHelper.putOperationInvocation(request, ResourceNames.QUEUE + queue, operation);
        ClientMessage reply = requestor.request(request, 5000);
        if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
            throw new IllegalStateException("the broker did not " + operation + " " + queue + ": "
                    + (reply == null ? "no answer within 5 s" : ManagementHelper.getResult(reply)));
        }
    }

    @Override
    public void close() throws Exception {
        requestor.close();
        session.close();
        factory.close();
        locator.close();
    }
}
