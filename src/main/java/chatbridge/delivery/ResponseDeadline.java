package chatbridge.delivery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * A hard limit on the whole HTTP exchange with a partner: connection, request, status line, headers and body.
 *
 * <p>HttpClient's response timeout is a socket read timeout: it restarts with every byte, so a partner that trickles
 * its answer one byte a second would hold a delivery consumer for as long as it likes. When the deadline passes, the
 * connection is closed under the reading thread, which then fails with a {@link SocketTimeoutException}: an ordinary
 * retryable delivery failure.
 *
 * <p>The watchdog stays armed after the exchange returns, until the response body stream is closed. camel-http
 * installs it as its client configurer (camel.component.http.httpClientConfigurer).
 */
public final class ResponseDeadline extends ServiceSupport implements ExecChainHandler, HttpClientConfigurer {
    private final long deadlineMillis;
    private final ScheduledThreadPoolExecutor timer;

    public ResponseDeadline(Duration deadline) {
        this.deadlineMillis = deadline.toMillis();
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "chatbridge-http-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every watchdog is cancelled (the partner answered in time): do not keep them queued until they are due.
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("chatbridge-response-deadline", this);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = timer.schedule(() -> {
            expired.set(true);
            scope.execRuntime.discardEndpoint();
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException e) {
            watchdog.cancel(false);
            throw expired.get() ? timedOut(e) : e;
        } catch (HttpException | RuntimeException e) {
            watchdog.cancel(false);
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            watchdog.cancel(false);
        } else {
            response.setEntity(new GuardedEntity(entity, watchdog, expired));
        }
        return response;
    }

    private SocketTimeoutException timedOut(IOException cause) {
        SocketTimeoutException timeout = new SocketTimeoutException(
                "the partner did not answer completely within " + deadlineMillis + " ms");
        timeout.initCause(cause);
        return timeout;
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    /** The response body: reading it is still under the deadline, closing it disarms the watchdog. */
    private final class GuardedEntity extends HttpEntityWrapper {
        private final ScheduledFuture<?> watchdog;
        private final AtomicBoolean expired;

        GuardedEntity(HttpEntity entity, ScheduledFuture<?> watchdog, AtomicBoolean expired) {
            super(entity);
            this.watchdog = watchdog;
            this.expired = expired;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw expired.get() ? timedOut(e) : e;
                    }
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    try {
                        return super.read(buffer, offset, length);
                    } catch (IOException e) {
                        throw expired.get() ? timedOut(e) : e;
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        watchdog.cancel(false);
                    }
                }
            };
        }
        // An entity closed unread needs nothing: its connection is released, and a watchdog firing later finds no
        // endpoint left to discard.
    }
}
