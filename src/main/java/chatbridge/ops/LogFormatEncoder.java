package chatbridge.ops;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The encoder of logback.xml's console appender, chosen by LOG_FORMAT: {@code plain} (the default) one readable line
 * per event, {@code json} one JSON object per line with the MDC (eventId, partner, attempt, status, durationMs). Any
 * other value falls back to plain and says so on the first line, rather than leaving the bridge without a log.
 */
public class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} [%thread] %level %logger{0} - %msg%n";

    private Encoder<ILoggingEvent> delegate;
    private String format = System.getenv().getOrDefault("LOG_FORMAT", "plain");

    /** For tests; LOG_FORMAT otherwise. */
    public void setFormat(String format) {
        this.format = format;
    }

    @Override
    public void start() {
        String chosen = format == null ? "plain" : format.trim().toLowerCase(java.util.Locale.ROOT);
        if (chosen.equals("json")) {
            LogstashEncoder json = new LogstashEncoder();
            json.setIncludeMdc(true);
            delegate = json;
        } else {
            PatternLayoutEncoder plain = new PatternLayoutEncoder();
            plain.setPattern(PATTERN);
            delegate = plain;
            if (!chosen.equals("plain")) {
                addWarn("LOG_FORMAT=" + format + " is neither plain nor json: writing plain lines");
            }
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
