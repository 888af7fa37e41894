package chatbridge.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import chatbridge.security.DeliverySeal;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Channel;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.processor.errorhandler.RedeliveryErrorHandler;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import chatbridge.testing.Catalogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every branch of routes/error-handling.yaml, in milliseconds: the real routes and beans, with the JMS consumers
 * replaced by direct endpoints, every JMS send caught by a mock, and the partner's answer played by a processor in
 * place of the HTTP POST. The flow tests prove the same against a real broker and real partners.
 */
@CamelMainTest(
        properties = {
                // Never connected: every jms endpoint is replaced or mocked. An external broker needs a seal key.
                "chatbridge.broker.url=tcp://127.0.0.1:9?reconnectAttempts=0",
                "chatbridge.security.message-key=route-test-delivery-seal-key-0123456789",
                "chatbridge.partners.file=target/no-partners.yaml",
                "chatbridge.partner.id=shop",
                "chatbridge.partner.webhook-url=http://127.0.0.1:9/hooks",
                "chatbridge.partner.webhook-secret=whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh",
                "chatbridge.chat-api.url=",
                "chatbridge.delivery.local-retries=1",
                "chatbridge.delivery.local-retry-delay-millis=0",
                "chatbridge.events.dir=" + ErrorHandlingRouteTest.CATALOG,
                // The queue-consuming flows only; the Open API has its own tests.
                "camel.main.routesIncludePattern=file:routes/error-handling.yaml,file:routes/ingest.yaml,file:routes/webhook-delivery.yaml",
                "camel.server.enabled=false",
                "camel.management.enabled=false"},
        replaceRouteFromWith = {
                "ingest-visitor-online=direct:chat.visitor.online",
                "ingest-order-completed=direct:chat.order.completed",
                "webhook-delivery-shop=direct:webhook.shop"},
        mockEndpointsAndSkip = "jms:*",
        advices = @AdviceRouteMapping(route = "webhook-attempt", advice = ErrorHandlingRouteTest.PartnerAnswers.class))
// One Camel context for all the tests; the mocks are reset before each.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorHandlingRouteTest {
    /** The shipped catalog with order.completed limited to 3 attempts; made when the class loads, before Camel starts. */
    static final String CATALOG = "target/catalogs/ErrorHandlingRouteTest";

    static {
        Catalogs.copyWithDelivery(Path.of(CATALOG), "order.completed", "maxAttempts", "3");
    }

    /** What the partner does with the next POSTs: answers with headers, or fails like the network would. */
    static final AtomicReference<Processor> PARTNER = new AtomicReference<>();
    static final AtomicInteger POSTS = new AtomicInteger();

    /** The POST to the partner becomes PARTNER's answer. */
    public static class PartnerAnswers extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("partner-webhook-post").replace().process(exchange -> {
                POSTS.incrementAndGet();
                PARTNER.get().process(exchange);
            });
        }
    }

    static Processor answer(int status, String... headers) {
        return exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getMessage().setHeader(headers[i], headers[i + 1]);
            }
        };
    }

    @BeanInject
    CamelContext context;
    ProducerTemplate producer;

    /** The fan-out's recipient list. */
    @EndpointInject("mock:jms:queue:webhook.shop")
    MockEndpoint fanOut;
    // error-handling.yaml's moves, as its toD steps name them: the queue is resolved per message, and camel-jms sends
    // it as CamelJmsDestinationName through the one endpoint.
    MockEndpoint deadLetters;
    MockEndpoint expired;
    MockEndpoint requeued;

    @BeforeEach
    void endpoints() {
        POSTS.set(0);
        producer = context.createProducerTemplate();
        deadLetters = context.getEndpoint("mock:jms:queue:DLQ.${header.chatbridgeSourceQueue}", MockEndpoint.class);
        expired = context.getEndpoint("mock:jms:queue:EXPIRED.${header.chatbridgeSourceQueue}", MockEndpoint.class);
        requeued = context.getEndpoint("mock:jms:queue:${header.chatbridgeSourceQueue}", MockEndpoint.class);
        for (MockEndpoint mock : new MockEndpoint[] {fanOut, deadLetters, expired, requeued}) {
            mock.reset();
        }
    }

    /** The one message the mock received (the sends are synchronous), after checking which queue it was for. */
    static Map<String, Object> onlyMessageFor(MockEndpoint mock, String queue) {
        assertEquals(1, mock.getReceivedCounter(), mock.getEndpointUri());
        Map<String, Object> headers = mock.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertEquals(queue, headers.get("CamelJmsDestinationName"));
        return headers;
    }


    static String event(String id, String type, Instant occurredAt) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + occurredAt
                + "\",\"visitor\":{\"id\":\"v-1\"},\"order\":{\"id\":\"o-1\"}}";
    }

    /** A delivery message as the fan-out writes it, received from webhook.shop for the deliveryCount-th time. */
    Exchange deliver(String id, String type, Instant occurredAt, int deliveryCount, boolean sealed) {
        String body = event(id, type, occurredAt);
        Map<String, Object> headers = new HashMap<>();
        headers.put("JMSDestination", new ActiveMQQueue("webhook.shop"));
        headers.put("JMSMessageID", "ID:" + id);
        headers.put("JMSXDeliveryCount", deliveryCount);
        headers.put("JMSXGroupID", "v-1");
        headers.put("_AMQ_DUPL_ID", "publisher-" + id);
        headers.put(BridgeHeaders.EVENT_ID, id);
        headers.put(BridgeHeaders.EVENT_TYPE, type);
        headers.put(BridgeHeaders.OCCURRED_AT, occurredAt.toString());
        if (sealed) {
            DeliverySeal seal = context.getRegistry().lookupByNameAndType("deliverySeal", DeliverySeal.class);
            headers.put(DeliverySeal.HEADER, seal.seal(id, type, occurredAt.toString(), body));
        }
        return producer.send("direct:webhook.shop", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(headers);
        });
    }

    /**
     * The quick retries are the delivery route's own loop. A redelivery policy in the shared error handling would make
     * Camel copy every exchange, JMS message and all, before every step of every route (bench/RESULTS.md, 2026-12-03).
     */
    @Test
    void noStepOfTheQueueRoutesCopiesItsExchangeForRedelivery() throws Exception {
        int errorHandlers = 0;
        for (Route route : context.getRoutes()) {
            Deque<Processor> steps = new ArrayDeque<>(route.navigate().next());
            while (!steps.isEmpty()) {
                Processor step = steps.pop();
                if (step instanceof Channel channel && channel.getErrorHandler() instanceof RedeliveryErrorHandler handler) {
                    errorHandlers++;
                    assertFalse(handler.determineIfRedeliveryIsEnabled(), "redelivery enabled in route " + route.getRouteId());
                }
                if (step instanceof Navigate<?> navigate && navigate.hasNext()) {
                    navigate.next().forEach(next -> steps.push((Processor) next));
                }
            }
        }
        assertTrue(errorHandlers > 10, "error handlers found: " + errorHandlers);
    }

    @Test
    void aValidEventIsSealedAndQueuedForItsPartner() throws Exception {
        fanOut.expectedMessageCount(1);
        producer.sendBodyAndHeaders("direct:chat.visitor.online", event("ok-1", "visitor.online", Instant.now()),
                Map.of("JMSDestination", new ActiveMQQueue("chat.visitor.online"), "_AMQ_DUPL_ID", "from-chat"));
        fanOut.assertIsSatisfied(5000);
        Map<String, Object> headers = fanOut.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertEquals("ok-1", headers.get(BridgeHeaders.EVENT_ID));
        assertEquals("v-1", headers.get("JMSXGroupID"));
        assertNotNull(headers.get(DeliverySeal.HEADER));
        assertNull(headers.get("_AMQ_DUPL_ID"), "nothing of the chat system's message follows the event");
    }

    @Test
    void poisonGoesToTheDeadLetterQueueOfItsSourceWithTheReason() throws Exception {
        String poison = "{\"id\":\"p-1\",\"type\":\"visitor.online\",\"occurredAt\":\"" + Instant.now() + "\",\"visitor\":{}}";
        producer.sendBodyAndHeaders("direct:chat.visitor.online", poison, Map.of(
                "JMSDestination", new ActiveMQQueue("chat.visitor.online"), "JMSMessageID", "ID:p-1",
                "_AMQ_DUPL_ID", "from-chat", "testCase", "kept"));
        Map<String, Object> headers = onlyMessageFor(deadLetters, "DLQ.chat.visitor.online");
        assertEquals("missing-field", headers.get(BridgeHeaders.REASON));
        assertEquals("visitor.id", headers.get(BridgeHeaders.FIELD));
        assertEquals("chat.visitor.online", headers.get(BridgeHeaders.SOURCE_QUEUE));
        assertEquals("kept", headers.get("testCase"), "the publisher's own properties stay");
        assertNull(headers.get("_AMQ_DUPL_ID"), "a copied duplicate id would make the broker drop the dead letter");
        assertNull(headers.get("JMSMessageID"));
        assertEquals(poison, deadLetters.getReceivedExchanges().get(0).getMessage().getBody(String.class));
        fanOut.expectedMessageCount(0);
        fanOut.assertIsSatisfied();
    }

    @Test
    void aTwoHundredIsDelivered() throws Exception {
        PARTNER.set(answer(204));
        Exchange done = deliver("d-1", "order.completed", Instant.now(), 1, true);
        assertNull(done.getException());
        assertEquals(1, POSTS.get());
        deadLetters.expectedMessageCount(0);
        deadLetters.assertIsSatisfied();
    }

    @Test
    void aPermanentRefusalIsDeadLetteredWithTheLastStatus() throws Exception {
        PARTNER.set(answer(400));
        deliver("d-400", "order.completed", Instant.now(), 1, true);
        Map<String, Object> headers = onlyMessageFor(deadLetters, "DLQ.webhook.shop");
        assertEquals("http-400", headers.get(BridgeHeaders.REASON));
        assertEquals(400, headers.get(BridgeHeaders.LAST_STATUS));
        assertEquals(1, headers.get(BridgeHeaders.ATTEMPTS));
        assertEquals("shop", headers.get(BridgeHeaders.PARTNER_ID));
        assertEquals("v-1", headers.get("JMSXGroupID"));
        assertEquals(1, POSTS.get(), "not retried");
    }

    @Test
    void aRetryableFailureIsRetriedInProcessThenRolledBack() throws Exception {
        PARTNER.set(answer(503));
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("webhook-delivery-shop").whenFailed(1).create();
        Exchange done = deliver("d-503", "order.completed", Instant.now(), 1, true);
        assertTrue(failed.matches(5, TimeUnit.SECONDS), "the delivery fails: the transaction rolls back");
        assertEquals("http-503", BridgeFailure.in(done.getException()).orElseThrow().reason());
        assertEquals(2, POSTS.get(), "one try and one quick retry");

        PARTNER.set(exchange -> {
            throw new ConnectException("Connection refused");
        });
        POSTS.set(0);
        done = deliver("d-refused", "order.completed", Instant.now(), 1, true);
        assertEquals("connection-refused", BridgeFailure.in(done.getException()).orElseThrow().reason());
        assertEquals(2, POSTS.get());
        deadLetters.expectedMessageCount(0);
        deadLetters.assertIsSatisfied();
    }

    @Test
    void theLastAttemptIsDeadLetteredAsExhausted() throws Exception {
        PARTNER.set(answer(503));
        deliver("d-last", "order.completed", Instant.now(), 3, true);
        Map<String, Object> headers = onlyMessageFor(deadLetters, "DLQ.webhook.shop");
        assertEquals("attempts-exhausted", headers.get(BridgeHeaders.REASON));
        assertEquals(3, headers.get(BridgeHeaders.ATTEMPTS));
        assertEquals(2, POSTS.get(), "the last attempt still gets its quick retry");
    }

    @Test
    void retryAfterRequeuesOnTheSourceQueueForThatTime() throws Exception {
        PARTNER.set(answer(429, "Retry-After", "7"));
        long before = System.currentTimeMillis();
        Exchange done = deliver("d-later", "order.completed", Instant.now(), 2, true);
        Map<String, Object> headers = onlyMessageFor(requeued, "webhook.shop");
        assertNull(done.getException(), "handled: the consumption commits with the re-queued copy");
        long due = (Long) headers.get("_AMQ_SCHED_DELIVERY");
        assertTrue(due >= before + 7000 && due <= System.currentTimeMillis() + 7000, "due in 7 s: " + (due - before));
        assertEquals(2, headers.get(BridgeHeaders.PRIOR_ATTEMPTS), "the deliveries so far still count");
        assertNull(headers.get("JMSXDeliveryCount"));
        assertNull(headers.get("_AMQ_DUPL_ID"));
        assertNotNull(headers.get(DeliverySeal.HEADER), "still the bridge's message");
        assertEquals(1, POSTS.get());
    }

    @Test
    void aStaleEventIsMovedToExpiredNotPosted() throws Exception {
        deliver("d-stale", "visitor.online", Instant.now().minus(Duration.ofMinutes(10)), 1, true);
        assertEquals("expired", onlyMessageFor(expired, "EXPIRED.webhook.shop").get(BridgeHeaders.REASON));
        assertEquals(0, POSTS.get());
    }

    @Test
    void aMessageWithoutTheBridgesSealIsNeverPosted() throws Exception {
        deliver("d-forged", "order.completed", Instant.now(), 1, false);
        assertEquals("not-from-bridge", onlyMessageFor(deadLetters, "DLQ.webhook.shop").get(BridgeHeaders.REASON));
        assertEquals(0, POSTS.get());
        assertTrue(deadLetters.getReceivedExchanges().get(0).getMessage().getBody(String.class).contains("d-forged"),
                "kept as it was");
    }
}
