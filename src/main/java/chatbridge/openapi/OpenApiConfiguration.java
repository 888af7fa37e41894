package chatbridge.openapi;

import java.time.Clock;
import java.time.Duration;

import jakarta.jms.ConnectionFactory;

import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** Binds the beans of the partner-facing Open API (routes/openapi.yaml). */
public class OpenApiConfiguration implements CamelConfiguration {
    @PropertyInject(value = "chatbridge.openapi.queue", defaultValue = "partner.messages")
    private String queue;
    @PropertyInject(value = "chatbridge.openapi.max-body-bytes", defaultValue = "65536")
    private int maxBodyBytes;
    @PropertyInject(value = "chatbridge.openapi.max-text-length", defaultValue = "4000")
    private int maxTextLength;
    @PropertyInject(value = "chatbridge.openapi.rate-limit-per-second", defaultValue = "100")
    private double ratePerSecond;
    @PropertyInject(value = "chatbridge.openapi.rate-limit-burst", defaultValue = "200")
    private int burst;
    @PropertyInject(value = "chatbridge.openapi.signature-tolerance-seconds", defaultValue = "300")
    private int signatureToleranceSeconds;
    @PropertyInject(value = "chatbridge.openapi.reply-window-hours", defaultValue = "24")
    private int replyWindowHours;
    @PropertyInject(value = "camel.server.maxBodySize", defaultValue = "1048576")
    private long serverMaxBodyBytes;

    // lazy: created on first use, once the broker and partner beans of the other configurations exist.
    @BindToRegistry(value = "partnerMessageQueue", lazy = true)
    public PartnerMessageQueue partnerMessageQueue(@BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory,
                                                   @BeanInject("deliverySeal") DeliverySeal seal) {
        return new PartnerMessageQueue(connectionFactory, queue, Duration.ofHours(replyWindowHours), seal,
                Clock.systemUTC());
    }

    @BindToRegistry(value = "openApiRequests", lazy = true)
    public OpenApiRequests openApiRequests(@BeanInject("partnerRegistry") PartnerRegistry partners,
                                           @BeanInject("partnerMessageQueue") PartnerMessageQueue queue) {
        return new OpenApiRequests(new ApiKeyAuthenticator(partners.all()),
                new RateLimiter(ratePerSecond, burst, System::nanoTime),
                new SignatureVerifier(Duration.ofSeconds(signatureToleranceSeconds), Clock.systemUTC()),
                new MessageValidator(maxTextLength), queue, maxBodyBytes);
    }

    @BindToRegistry("problemResponses")
    public ProblemResponses problemResponses() {
        return new ProblemResponses();
    }

    @BindToRegistry("openApiDocument")
    public OpenApiDocument openApiDocument() {
        return new OpenApiDocument();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new ServerLimitProblems(serverMaxBodyBytes));
    }

}
