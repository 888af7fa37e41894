package chatbridge;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chatbridge.broker.FailureRouting;
import chatbridge.delivery.DeliveryPolicy;
import chatbridge.delivery.ResponseClassifier;
import chatbridge.delivery.ResponseDeadline;
import chatbridge.delivery.WebhookDeliveries;
import chatbridge.events.DeliveryEnvelope;
import chatbridge.events.EventTypes;
import chatbridge.events.EventValidator;
import chatbridge.partners.Partner;
import chatbridge.partners.PartnerLoader;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import chatbridge.security.Secrets;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans the YAML routes call, from application.properties. Every setting is listed in the README.
 */
public class BridgeConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @PropertyInject(value = "chatbridge.ingest.max-event-bytes", defaultValue = "65536")
    private int maxEventBytes;

    @PropertyInject(value = "chatbridge.partners.file", defaultValue = "config/partners.yaml")
    private String partnersFile;
    @PropertyInject(value = "chatbridge.partner.id", defaultValue = "partner")
    private String partnerId;
    @PropertyInject(value = "chatbridge.partner.webhook-url", defaultValue = "")
    private String partnerWebhookUrl;
    @PropertyInject(value = "chatbridge.partner.webhook-secret", defaultValue = "")
    private String partnerWebhookSecret;
    @PropertyInject(value = "chatbridge.partner.events", defaultValue = "")
    private String partnerEvents;
    @PropertyInject(value = "chatbridge.partner.api-key", defaultValue = "")
    private String partnerApiKey;

    @PropertyInject(value = "chatbridge.delivery.connect-timeout-seconds", defaultValue = "5")
    private int connectTimeoutSeconds;
    @PropertyInject(value = "chatbridge.delivery.response-timeout-seconds", defaultValue = "10")
    private int responseTimeoutSeconds;
    @PropertyInject(value = "chatbridge.delivery.max-connections-per-partner", defaultValue = "32")
    private int maxConnectionsPerPartner;
    @PropertyInject(value = "chatbridge.delivery.local-retries", defaultValue = "2")
    private int localRetries;
    @PropertyInject(value = "chatbridge.delivery.retry-after-cap-seconds", defaultValue = "300")
    private int retryAfterCapSeconds;

    @PropertyInject(value = "chatbridge.policy.visitor-online.max-attempts", defaultValue = "6")
    private int visitorOnlineMaxAttempts;
    @PropertyInject(value = "chatbridge.policy.visitor-online.freshness-seconds", defaultValue = "300")
    private int visitorOnlineFreshnessSeconds;
    @PropertyInject(value = "chatbridge.policy.order-completed.max-attempts", defaultValue = "12")
    private int orderCompletedMaxAttempts;
    @PropertyInject(value = "chatbridge.policy.order-completed.freshness-seconds", defaultValue = "0")
    private int orderCompletedFreshnessSeconds;

    @PropertyInject(value = "chatbridge.policy.partner-message.max-attempts", defaultValue = "12")
    private int partnerMessageMaxAttempts;

    @PropertyInject(value = "chatbridge.chat-api.url", defaultValue = "")
    private String chatApiUrl;
    @PropertyInject(value = "chatbridge.chat-api.secret", defaultValue = "")
    private String chatApiSecret;
    @PropertyInject(value = "chatbridge.chat-api.token", defaultValue = "")
    private String chatApiToken;
    @PropertyInject(value = "chatbridge.openapi.queue", defaultValue = "partner.messages")
    private String partnerMessagesQueue;

    private PartnerRegistry partnerRegistry;

    @BindToRegistry("eventValidator")
    public EventValidator eventValidator() {
        return new EventValidator(maxEventBytes);
    }

    // lazy: the seal is bound by BrokerConfiguration.
    @BindToRegistry(value = "deliveryEnvelope", lazy = true)
    public DeliveryEnvelope deliveryEnvelope(@BeanInject("deliverySeal") DeliverySeal seal) {
        return new DeliveryEnvelope(CLOCK, seal);
    }

    @BindToRegistry("partnerRegistry")
    public PartnerRegistry partnerRegistry() {
        if (partnerRegistry == null) {
            PartnerLoader loader = new PartnerLoader(Secrets.fromEnvironment());
            List<Partner> partners = new ArrayList<>(loader.load(Path.of(partnersFile), new PartnerLoader.SinglePartner(
                    partnerId, partnerWebhookUrl, partnerWebhookSecret, partnerEvents, partnerApiKey)));
            if (!chatApiUrl.isBlank()) {
                partners.add(loader.chatApi(chatApiUrl, chatApiSecret, chatApiToken, partnerMessagesQueue));
            }
            partnerRegistry = new PartnerRegistry(partners);
        }
        return partnerRegistry;
    }

    @BindToRegistry(value = "webhookDeliveries", lazy = true)
    public WebhookDeliveries webhookDeliveries(@BeanInject("deliverySeal") DeliverySeal seal) {
        Map<String, DeliveryPolicy> policies = Map.of(
                EventTypes.VISITOR_ONLINE, new DeliveryPolicy(visitorOnlineMaxAttempts, Duration.ofSeconds(visitorOnlineFreshnessSeconds)),
                EventTypes.ORDER_COMPLETED, new DeliveryPolicy(orderCompletedMaxAttempts, Duration.ofSeconds(orderCompletedFreshnessSeconds)),
                EventTypes.PARTNER_MESSAGE, new DeliveryPolicy(partnerMessageMaxAttempts, Duration.ZERO));
        return new WebhookDeliveries(partnerRegistry(), policies,
                new ResponseClassifier(Duration.ofSeconds(retryAfterCapSeconds)), localRetries, seal, CLOCK);
    }

    @BindToRegistry("failureRouting")
    public FailureRouting failureRouting() {
        return new FailureRouting(CLOCK);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ResponseDeadline deadline = new ResponseDeadline(Duration.ofSeconds(responseTimeoutSeconds));
        context.addService(deadline, true, true);
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            // camel-http's defaults wait up to 3 minutes; a stuck partner would hold a consumer thread that long.
            http.setConnectTimeout(connectTimeoutSeconds * 1000L);
            http.setConnectionRequestTimeout(connectTimeoutSeconds * 1000L);
            http.setResponseTimeout(responseTimeoutSeconds * 1000L);
            http.setSoTimeout(responseTimeoutSeconds * 1000L);
            // Those two restart with every byte received; this one bounds the whole answer (ResponseDeadline).
            http.setHttpClientConfigurer(builder -> builder.addExecInterceptorFirst("chatbridge-response-deadline", deadline));
            // HttpClient would otherwise retry on its own and sleep on Retry-After, invisible to our policy.
            http.setAutomaticRetriesDisabled(true);
            http.setCookieManagementDisabled(true);
            http.setFollowRedirects(false);
            http.setConnectionsPerRoute(maxConnectionsPerPartner);
            http.setMaxTotalConnections(Math.max(200, maxConnectionsPerPartner * 4));
        }
        PartnerRegistry registry = partnerRegistry();
        if (registry.all().isEmpty()) {
            LOG.warn("No partners configured ({} missing and PARTNER_WEBHOOK_URL unset): valid events are consumed "
                    + "but delivered nowhere", partnersFile);
        }
        for (Partner partner : registry.all()) {
            LOG.info("Partner {}", partner);
        }
        for (String type : EventTypes.ALL) {
            if (registry.deliveryEndpointsFor(type).isEmpty() && !registry.all().isEmpty()) {
                LOG.warn("No partner subscribes to {}: those events are consumed and delivered nowhere", type);
            }
        }
    }
}
