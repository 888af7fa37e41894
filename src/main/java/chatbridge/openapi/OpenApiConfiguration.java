package chatbridge.openapi;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import chatbridge.problems.ProblemResponses;
import jakarta.jms.ConnectionFactory;

import chatbridge.catalog.EventCatalog;
import chatbridge.ops.ServersListening;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.PropertyInject;

/** Binds the beans of the partner-facing Open API (routes/openapi.yaml). */
public class OpenApiConfiguration implements CamelConfiguration {
    @PropertyInject("camel.server.maxBodySize")
    private long serverMaxBodyBytes;

    /** The start of route reply-claim (routes/openapi.yaml), which asks the reply arbiter through the broker. */
    static final String REPLY_CLAIM = "direct:reply-claim";
    private CamelContext context;

    // lazy: created on first use, once the broker and partner beans of the other configurations exist.
    @BindToRegistry(value = "partnerMessageQueue", lazy = true)
    public PartnerMessageQueue partnerMessageQueue(@BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory,
                                                   @BeanInject("deliverySeal") DeliverySeal seal,
                                                   @PropertyInject("chatbridge.openapi.queue") String queue) {
        ProducerTemplate arbiter = context.createProducerTemplate();
        PartnerMessageQueue.ReplyClaims claims = (replyKey, messageId) -> arbiter.requestBodyAndHeaders(REPLY_CLAIM, "",
                Map.of("chatbridgeReplyKey", replyKey, "chatbridgeMessageId", messageId), String.class);
        return new PartnerMessageQueue(connectionFactory, queue, claims, seal, Clock.systemUTC());
    }

    /** Decides the claims of every bridge on the broker while this bridge is the one consuming them (reply-arbiter). */
    @BindToRegistry(value = "replyArbiter", lazy = true)
    public ReplyArbiter replyArbiter(@BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory,
                                     @PropertyInject("chatbridge.openapi.reply-window-hours") int replyWindowHours) {
        return new ReplyArbiter(connectionFactory, Duration.ofHours(replyWindowHours), Clock.systemUTC());
    }

    @BindToRegistry(value = "openApiRequests", lazy = true)
    public OpenApiRequests openApiRequests(@BeanInject("partnerRegistry") PartnerRegistry partners,
                                           @BeanInject("partnerMessageQueue") PartnerMessageQueue queue,
                                           @PropertyInject("chatbridge.openapi.max-body-bytes") int maxBodyBytes,
                                           @PropertyInject("chatbridge.openapi.max-text-length") int maxTextLength,
                                           @PropertyInject("chatbridge.openapi.rate-limit-per-second") double ratePerSecond,
                                           @PropertyInject("chatbridge.openapi.rate-limit-burst") int burst,
                                           @PropertyInject("chatbridge.openapi.signature-tolerance-seconds") int signatureToleranceSeconds) {
        return new OpenApiRequests(new ApiKeyAuthenticator(partners),
                new RateLimiter(ratePerSecond, burst, System::nanoTime),
                new SignatureVerifier(Duration.ofSeconds(signatureToleranceSeconds), Clock.systemUTC()),
                new MessageValidator(maxTextLength), queue, maxBodyBytes);
    }

    /** camel.component.platform-http.engine: the partner-facing server (camel.server.port), never the management one. */
    @BindToRegistry("partnerApiEngine")
    public ServerPortEngine partnerApiEngine(@PropertyInject("camel.server.port") int port) {
        return new ServerPortEngine(port);
    }

    @BindToRegistry("problemResponses")
    public ProblemResponses problemResponses() {
        return new ProblemResponses();
    }

    // lazy: the catalog is CatalogConfiguration's.
    @BindToRegistry(value = "openApiDocument", lazy = true)
    public OpenApiDocument openApiDocument(@BeanInject("eventCatalog") EventCatalog catalog) {
        return new OpenApiDocument(catalog);
    }

    @BindToRegistry(value = "asyncApiDocument", lazy = true)
    public AsyncApiDocument asyncApiDocument(@BeanInject("eventCatalog") EventCatalog catalog) {
        return new AsyncApiDocument(catalog);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        this.context = context;
        context.addStartupListener(new ServerLimitProblems(serverMaxBodyBytes));
        context.addStartupListener(new ServersListening());
    }
}
