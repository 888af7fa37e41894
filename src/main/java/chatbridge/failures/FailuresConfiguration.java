package chatbridge.failures;

import java.time.Clock;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds the bean routes/error-handling.yaml explains failures with. */
public class FailuresConfiguration implements CamelConfiguration {
    @BindToRegistry("failureExplanations")
    public FailureExplanations failureExplanations() {
        return new FailureExplanations(Clock.systemUTC());
    }
}
