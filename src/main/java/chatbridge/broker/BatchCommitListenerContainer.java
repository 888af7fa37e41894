package chatbridge.broker;

import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.springframework.jms.support.JmsUtils;

/**
 * Camel's listener container, with one change: a transacted consumer commits once per batch of messages instead of
 * once per message. A synchronous commit is one journal sync on the broker (~0.7 ms here); shared by a batch, it
 * stops being the limit of every route that consumes a queue.
 *
 * <p>Each message still runs through its route on its own, one after the other, inside the open transaction, and
 * the sends it makes (fan-out, DLQ) join that transaction. The transaction commits after {@code maxMessages}
 * messages, once it has been open for {@code maxWait}, when no further message is waiting on the queue, or when
 * the route is stopping. What it costs:
 * <ul>
 *   <li>A crash or a rollback returns the whole open batch to the broker, so messages already handed to a partner
 *   may be delivered again (with the same webhook-id: at-least-once, never lost).</li>
 *   <li>A message the broker redelivers (it was in a batch that rolled back) ends the batch it joins: the
 *   transaction commits right after it ran. A message that keeps failing therefore takes back with it at most the
 *   new messages of the batch it joined, and each of those returns redelivered and is committed on its own: it
 *   cannot lose a neighbour more than one attempt. (Committing the open batch before running the redelivered
 *   message would acknowledge that message too, and its failure would then roll back nothing: it would be lost.)</li>
 * </ul>
 * With {@code maxMessages = 1} this is exactly Camel's per-message transaction.
 */
final class BatchCommitListenerContainer extends DefaultJmsMessageListenerContainer {

    private final int maxMessages;
    private final long maxWaitNanos;
    /** One invoker thread owns one cached session (cacheLevel CACHE_CONSUMER), so the open batch is per thread. */
    private final ThreadLocal<OpenBatch> openBatch = ThreadLocal.withInitial(OpenBatch::new);

    BatchCommitListenerContainer(JmsEndpoint endpoint, int maxMessages, long maxWaitMillis) {
        super(endpoint);
        this.maxMessages = Math.max(1, maxMessages);
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMillis));
    }

    private static final class OpenBatch {
        Session session;
        int messages;
        long openedAt;
    }

    @Override
    protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
        OpenBatch batch = openBatch.get();
        if (batch.messages == 0) {
            return super.receiveMessage(consumer);
        }
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(batch.openedAt + maxWaitNanos - System.nanoTime());
        if (waitMillis <= 0 || !isRunning()) {
            return null; // the container then calls commitIfNecessary(session, null)
        }
        // Only what is already there joins the batch (receiveNoWait asks the broker, it does not just look at the
        // client's buffer). When nothing is, the batch commits now instead of holding the messages it has done, and
        // the copies they sent, which no one else sees before the commit: under a backlog batches still fill, at a
        // trickle each message goes on at once (publish-to-partner p99 at 1,000/s: bench/RESULTS.md).
        // Not committed here even when the next message is a redelivered one: it is already part of the transaction
        // once received, so a commit now would acknowledge it before it ran, and its failure would roll back nothing.
        return consumer.receiveNoWait();
    }

    @Override
    protected void commitIfNecessary(Session session, Message message) throws JMSException {
        if (!session.getTransacted() || !isSessionLocallyTransacted(session)) {
            super.commitIfNecessary(session, message);
            return;
        }
        OpenBatch batch = openBatch.get();
        if (batch.session != session) {
            // A new session after a reconnect: whatever the old one held was rolled back by the broker.
            batch.session = session;
            batch.messages = 0;
        }
        if (message == null) {
            if (batch.messages > 0) {
                commit(batch);
            }
            return;
        }
        if (batch.messages++ == 0) {
            batch.openedAt = System.nanoTime();
        }
        boolean keepOpen = batch.messages < maxMessages
                && System.nanoTime() - batch.openedAt < maxWaitNanos
                && !message.getJMSRedelivered()
                && isRunning();
        if (!keepOpen) {
            commit(batch);
        }
    }

    private static void commit(OpenBatch batch) throws JMSException {
        batch.messages = 0; // first: a failed commit is a rollback, the count must not outlive it
        JmsUtils.commitIfNecessary(batch.session);
    }

    @Override
    protected void rollbackIfNecessary(Session session) throws JMSException {
        openBatch.get().messages = 0;
        super.rollbackIfNecessary(session);
    }

    @Override
    protected void rollbackOnExceptionIfNecessary(Session session, Throwable ex) throws JMSException {
        openBatch.get().messages = 0;
        super.rollbackOnExceptionIfNecessary(session, ex);
    }
}
