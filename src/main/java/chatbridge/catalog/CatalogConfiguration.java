package chatbridge.catalog;

import java.nio.file.Path;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.PropertyInject;

/** Binds the event catalog, read once at startup from chatbridge.events.dir (EVENTS_DIR). */
public class CatalogConfiguration implements CamelConfiguration, CamelContextAware {
    private CamelContext context;

    @BindToRegistry("eventCatalog")
    public EventCatalog eventCatalog(@PropertyInject("chatbridge.events.dir") String directory) {
        // Values in the catalog may be {{placeholders}}, resolved like application.properties.
        return new CatalogLoader(context::resolvePropertyPlaceholders).load(Path.of(directory));
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }
}
