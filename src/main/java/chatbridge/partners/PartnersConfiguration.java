package chatbridge.partners;

import java.nio.file.Path;
import java.time.Duration;

import chatbridge.catalog.EventCatalog;
import chatbridge.security.Secrets;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds where the partners come from (the partners file, the single partner of the PARTNER_* settings, and the chat
 * system's own API, CHAT_API_URL, as the destination of partner.messages) and the registry of the partners read from
 * there at startup.
 */
public class PartnersConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(PartnersConfiguration.class);

    // lazy: the catalog is CatalogConfiguration's.
    @BindToRegistry(value = "partnerSource", lazy = true)
    public PartnerSource partnerSource(
            @BeanInject("eventCatalog") EventCatalog catalog,
            @PropertyInject("chatbridge.partners.file") String file,
            @PropertyInject("chatbridge.partners.expression-time-limit-millis") int expressionTimeLimitMillis,
            @PropertyInject("chatbridge.partner.id") String partnerId,
            @PropertyInject("chatbridge.partner.webhook-url") String webhookUrl,
            @PropertyInject("chatbridge.partner.webhook-secret") String webhookSecret,
            @PropertyInject("chatbridge.partner.events") String events,
            @PropertyInject("chatbridge.partner.api-key") String apiKey,
            @PropertyInject("chatbridge.chat-api.url") String chatApiUrl,
            @PropertyInject("chatbridge.chat-api.secret") String chatApiSecret,
            @PropertyInject("chatbridge.chat-api.token") String chatApiToken,
            @PropertyInject("chatbridge.openapi.queue") String partnerMessagesQueue) {
        PartnerLoader loader = new PartnerLoader(Secrets.fromEnvironment(), catalog, Duration.ofMillis(expressionTimeLimitMillis));
        return new PartnerSource(loader, Path.of(file), new PartnerLoader.SinglePartner(partnerId, webhookUrl, webhookSecret, events, apiKey),
                new PartnerLoader.ChatApi(chatApiUrl, chatApiSecret, chatApiToken, partnerMessagesQueue));
    }

    @BindToRegistry(value = "partnerRegistry", lazy = true)
    public PartnerRegistry partnerRegistry(@BeanInject("partnerSource") PartnerSource source) {
        PartnerRegistry registry = new PartnerRegistry(source.load());
        for (Partner partner : registry.all()) {
            LOG.info("Partner {}", partner);
        }
        return registry;
    }
}
