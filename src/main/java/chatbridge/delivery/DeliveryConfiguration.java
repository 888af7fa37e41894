package chatbridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import chatbridge.catalog.DeliveryPolicy;
import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.control.PartnerControl;
import chatbridge.metrics.BridgeMetrics;
import chatbridge.partners.PartnerLoader;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * Binds the beans of routes/webhook-delivery.yaml, and the hard deadline camel-http's client is configured with
 * (camel.component.http.httpClientConfigurer in application.properties; the other HTTP settings are there too).
 */
public class DeliveryConfiguration implements CamelConfiguration {

    // lazy: the partner registry and the seal are bound by other configuration classes.
    @BindToRegistry(value = "webhookDeliveries", lazy = true)
    public WebhookDeliveries webhookDeliveries(
            @BeanInject("partnerRegistry") PartnerRegistry partners,
            @BeanInject("eventCatalog") EventCatalog catalog,
            @BeanInject("deliverySeal") DeliverySeal seal,
            @BeanInject("partnerControl") PartnerControl control,
            @BeanInject("bridgeMetrics") BridgeMetrics metrics,
            @BeanInject("webhookFailureLog") FailureLog failureLog,
            @PropertyInject("chatbridge.policy.partner-message.max-attempts") int partnerMessageMaxAttempts,
            @PropertyInject("chatbridge.delivery.local-retries") int localRetries,
            @PropertyInject("chatbridge.delivery.retry-after-cap-seconds") int retryAfterCapSeconds) {
        // Each event type's policy is its catalog entry's; partner messages for the chat system's API have their own.
        Map<String, DeliveryPolicy> policies = new HashMap<>();
        for (EventType type : catalog.all()) {
            policies.put(type.name(), type.delivery());
        }
        policies.put(PartnerLoader.PARTNER_MESSAGE, new DeliveryPolicy(partnerMessageMaxAttempts, Duration.ZERO));
        return new WebhookDeliveries(partners, policies, new ResponseClassifier(Duration.ofSeconds(retryAfterCapSeconds)),
                localRetries, seal, control, metrics, failureLog, Clock.systemUTC());
    }

    /** Failed deliveries logged once, then summarised per partner per interval (README, Operations). */
    @BindToRegistry("webhookFailureLog")
    public FailureLog webhookFailureLog(@PropertyInject("chatbridge.delivery.failure-log-interval-seconds") int intervalSeconds) {
        return new FailureLog(Duration.ofSeconds(intervalSeconds), Clock.systemUTC());
    }

    @BindToRegistry("webhookPayloads")
    public WebhookPayloads webhookPayloads() {
        return new WebhookPayloads();
    }

    /** Bounds a partner's whole answer, which HttpClient's own timeouts (restarted by every byte) do not. */
    @BindToRegistry(value = "webhookResponseDeadline", destroyMethod = "stop")
    public ResponseDeadline webhookResponseDeadline(
            @PropertyInject("chatbridge.delivery.response-timeout-seconds") int responseTimeoutSeconds) {
        return new ResponseDeadline(Duration.ofSeconds(responseTimeoutSeconds));
    }
}
