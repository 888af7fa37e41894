package chatbridge.bench;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Bench phase 2v only: listed after the bridge's own configuration classes, it binds the hand-written validator as
 * eventValidator in place of the catalog's, so the very same routes drain the same backlog with either. Bound in
 * configure(), after every class's @BindToRegistry beans, and unbound first: neither a @BindToRegistry here nor a
 * plain bind replaced the lazy bean of EventsConfiguration (the first A/B run compared the schema validator with
 * itself, found by the wording of a dead letter's detail).
 */
public class HandWrittenValidation implements CamelConfiguration {
    /** Logged when the swap is made; the bench checks the bridge log for it. */
    static final String MARKER = "bench: eventValidator is the hand-written validator";

    @Override
    public void configure(CamelContext context) {
        int maxEventBytes = Integer.parseInt(context.resolvePropertyPlaceholders("{{chatbridge.ingest.max-event-bytes}}"));
        // The catalog's validator is a lazy bean, kept apart from eager ones: it has to be unbound to be replaced.
        context.getRegistry().unbind("eventValidator");
        context.getRegistry().bind("eventValidator", new HandWrittenEventValidator(maxEventBytes));
        org.slf4j.LoggerFactory.getLogger(HandWrittenValidation.class).info(MARKER);
    }
}
