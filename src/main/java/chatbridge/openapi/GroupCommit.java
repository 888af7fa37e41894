package chatbridge.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sends of many request threads in shared transactions (group commit): one thread sends every message that
 * arrived while the previous commit was under way and commits them together. The broker then writes, syncs and
 * answers once per group instead of once per message; each request still returns only once its own message is
 * committed, or fails (503) when it was not.
 * <p>
 * Only for messages without a duplicate id: the broker checks a transaction's duplicate ids when the message is sent
 * and records them at commit, so two transactions in flight could both pass with one id, while a send outside a
 * transaction is checked and recorded at once ({@code ArtemisGuaranteesTest}).
 */
final class GroupCommit implements AutoCloseable {
    /** Builds the message on the committing thread's session (JMS sessions are single-threaded). */
    @FunctionalInterface
    interface MessageMaker {
        Message make(Session session) throws JMSException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final int maxMessagesPerCommit;
    private final long waitMillis;
    private final BlockingQueue<Pending> pending;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread committer;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private Destination destination;

    /**
     * @param maxMessagesPerCommit the largest group; 1 commits every message on its own
     * @param waitMillis           how long a request waits for its message to be taken into a commit; past it, a
     *                             message not yet taken is dropped and the request fails: nothing is queued later
     */
    GroupCommit(ConnectionFactory connectionFactory, String queue, int maxMessagesPerCommit, long waitMillis) {
        this.connectionFactory = connectionFactory;
        this.queue = queue;
        this.maxMessagesPerCommit = maxMessagesPerCommit;
        this.waitMillis = waitMillis;
        // Bounded: while the broker does not answer, requests fail at once instead of piling up in memory.
        this.pending = new ArrayBlockingQueue<>(Math.max(1_000, maxMessagesPerCommit * 10));
        this.committer = new Thread(this::commitGroups, "openapi-group-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Returns once the message is committed on the queue; throws when it was not (and never will be). */
    void send(MessageMaker maker) throws JMSException {
        Pending request = new Pending(maker);
        if (!running.get() || !pending.offer(request)) {
            throw new JMSException(running.get() ? "too many messages waiting for the broker" : "stopping");
        }
        try {
            request.done.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (request.taken.compareAndSet(false, true)) {
                pending.remove(request);
                throw new JMSException("not taken into a commit within " + waitMillis + " ms");
            }
            await(request); // in a commit already: its outcome decides, bounded by the broker's call timeout
        } catch (ExecutionException e) {
            throw asJmsException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted");
        }
    }

    private static void await(Pending request) throws JMSException {
        try {
            request.done.get();
        } catch (ExecutionException e) {
            throw asJmsException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted");
        }
    }

    private void commitGroups() {
        List<Pending> group = new ArrayList<>(maxMessagesPerCommit);
        while (running.get() || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                pending.drainTo(group, maxMessagesPerCommit - 1);
                group.removeIf(request -> !request.taken.compareAndSet(false, true)); // its request gave up
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(group, new JMSException("stopping"));
                break;
            }
            group.clear();
        }
        closeSession();
    }

    private void commit(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            if (session == null) {
                openSession();
            }
            for (Pending request : group) {
                producer.send(destination, request.maker.make(session), DeliveryMode.PERSISTENT, 4, 0);
            }
            session.commit();
            group.forEach(request -> request.done.complete(null));
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Could not commit {} partner message(s): {}", group.size(), e.toString());
            closeSession(); // rolls back what was sent; the next group opens a new one
            fail(group, e);
        }
    }

    private static void fail(List<Pending> group, Exception e) {
        group.forEach(request -> request.done.completeExceptionally(e));
    }

    private void openSession() throws JMSException {
        connection = connectionFactory.createConnection();
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = session.createProducer(null);
        destination = session.createQueue(queue);
    }

    private void closeSession() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing the group-commit session: {}", e.toString());
        }
        connection = null;
        session = null;
        producer = null;
        destination = null;
    }

    /** Commits what is waiting, then stops; a request that arrives afterwards fails. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        committer.join(TimeUnit.SECONDS.toMillis(30));
    }

    private static JMSException asJmsException(Throwable cause) {
        if (cause instanceof JMSException jms) {
            return jms;
        }
        JMSException wrapped = new JMSException(String.valueOf(cause));
        wrapped.initCause(cause);
        return wrapped;
    }

    private static final class Pending {
        final MessageMaker maker;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Set once: by the committer taking it into a group, or by its request giving up. */
        final AtomicBoolean taken = new AtomicBoolean();

        Pending(MessageMaker maker) {
            this.maker = maker;
        }
    }
}
