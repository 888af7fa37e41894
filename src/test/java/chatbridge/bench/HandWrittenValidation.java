package chatbridge.bench;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * Bench phase 2v only: listed after the bridge's own configuration classes, it binds the hand-written validator as
 * eventValidator in place of the catalog's, so the very same routes drain the same backlog with either.
 */
public class HandWrittenValidation implements CamelConfiguration {
    @BindToRegistry("eventValidator")
    public HandWrittenEventValidator eventValidator(@PropertyInject("chatbridge.ingest.max-event-bytes") int maxEventBytes) {
        return new HandWrittenEventValidator(maxEventBytes);
    }
}
