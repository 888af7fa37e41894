package chatbridge.admin;

import java.time.Clock;

import chatbridge.control.PartnerStatesHealthCheck;
import jakarta.jms.ConnectionFactory;

import chatbridge.broker.BrokerAdmin;
import chatbridge.catalog.EventCatalog;
import chatbridge.control.PartnerControl;
import chatbridge.openapi.ServerPortEngine;
import chatbridge.partners.PartnerRegistry;
import chatbridge.partners.PartnerSource;
import chatbridge.security.DeliverySeal;
import chatbridge.security.Secrets;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Binds the admin API (routes/admin.yaml) and its admin-http component, whose routes live on the management server
 * beside /observe/health, and registers the partner-states health check.
 */
public class AdminConfiguration implements CamelConfiguration {
    private CamelContext context;

    /** The platform-http component of the management server (camel.management.*): routes from admin-http:/path. */
    @BindToRegistry("admin-http")
    public PlatformHttpComponent adminHttp(@PropertyInject("camel.management.port") int managementPort) {
        PlatformHttpComponent component = new PlatformHttpComponent();
        component.setEngine(new ServerPortEngine(managementPort));
        return component;
    }

    @BindToRegistry(value = "adminRequests", lazy = true)
    public AdminRequests adminRequests(@PropertyInject("chatbridge.admin.token") String token) {
        return new AdminRequests(Secrets.fromEnvironment().resolve(token, "ADMIN_TOKEN"), Clock.systemUTC());
    }

    // lazy: these take beans of other configuration classes.
    @BindToRegistry(value = "partnerAdmin", lazy = true)
    public PartnerAdmin partnerAdmin(@BeanInject("partnerRegistry") PartnerRegistry partners,
                                     @BeanInject("partnerControl") PartnerControl control,
                                     @BeanInject("brokerAdmin") BrokerAdmin broker) {
        return new PartnerAdmin(partners, control, broker);
    }

    @BindToRegistry(value = "deadLetters", lazy = true)
    public DeadLetters deadLetters(@BeanInject("jmsConnectionFactory") ConnectionFactory connections,
                                   @BeanInject("brokerAdmin") BrokerAdmin broker,
                                   @BeanInject("partnerRegistry") PartnerRegistry partners,
                                   @BeanInject("eventCatalog") EventCatalog catalog,
                                   @BeanInject("deliverySeal") DeliverySeal seal) {
        return new DeadLetters(connections, broker, partners, catalog, seal, Clock.systemUTC());
    }

    @BindToRegistry(value = "partnersReload", lazy = true)
    public PartnersReload partnersReload(@BeanInject("partnerSource") PartnerSource source,
                                         @BeanInject("partnerRegistry") PartnerRegistry registry,
                                         @BeanInject("eventCatalog") EventCatalog catalog,
                                         @BeanInject("partnerControl") PartnerControl control) {
        return new PartnersReload(context, source, registry, catalog, control);
    }

    @BindToRegistry(value = "adminConsole", lazy = true)
    public AdminConsole adminConsole() {
        return new AdminConsole();
    }

    @BindToRegistry(value = "adminDocument", lazy = true)
    public AdminDocument adminDocument() {
        return new AdminDocument();
    }

    @Override
    public void configure(CamelContext camelContext) {
        this.context = camelContext;
        PartnerControl control = camelContext.getRegistry().lookupByNameAndType("partnerControl", PartnerControl.class);
        HealthCheckRegistry.get(camelContext).register(new PartnerStatesHealthCheck(control));
    }
}
