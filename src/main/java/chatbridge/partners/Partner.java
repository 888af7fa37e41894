package chatbridge.partners;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A partner application: where its webhooks go, how they are signed, which events it wants, and the keys
 * it calls the Open API with.
 *
 * @param webhookEndpoint   the endpoint the POST goes through: the URL's scheme, host and port only. The full URL
 *                          travels in CamelHttpUri, so a query the partner wrote is never parsed as endpoint options.
 * @param deliveryQueue     the partner's own queue of pending deliveries (webhook.&lt;id&gt;)
 * @param signingKeys       decoded Standard Webhooks secrets; all of them sign each webhook (rotation)
 * @param subscriptions     the events: list as written, in order
 * @param byType            each catalog type those subscriptions take, with the subscription that decides its filter
 *                          and transform (the first whose types match): resolved once, at load
 * @param headers           extra HTTP headers sent with each webhook
 * @param apiKeys           Open API bearer keys that identify this partner
 * @param requireSignature  whether Open API requests must also carry a Standard Webhooks signature
 * @param envelope          whether the body is the Standard Webhooks envelope {"type","timestamp","data"} (the
 *                          default) or the event (or the transform's result) alone
 */
public record Partner(String id, String webhookUrl, String webhookEndpoint, String deliveryQueue, List<byte[]> signingKeys,
                      List<Subscription> subscriptions, Map<String, Subscription> byType, Map<String, String> headers,
                      List<String> apiKeys, boolean requireSignature, boolean envelope) {

    /** The catalog's types this partner takes. */
    public Set<String> events() {
        return byType.keySet();
    }

    public boolean subscribesTo(String eventType) {
        return byType.containsKey(eventType);
    }

    /** The subscription that decides how events of this type are filtered and shaped for this partner. */
    public Optional<Subscription> subscriptionFor(String eventType) {
        return Optional.ofNullable(byType.get(eventType));
    }

    /**
     * Whether the other is this partner with the same settings: URL, secrets, subscriptions (with their filters and
     * transforms as written), headers, keys and switches. A reload says which partners it changed with this.
     */
    public boolean sameSettingsAs(Partner other) {
        return id.equals(other.id) && webhookUrl.equals(other.webhookUrl) && deliveryQueue.equals(other.deliveryQueue)
                && sameKeys(signingKeys, other.signingKeys) && describe(subscriptions).equals(describe(other.subscriptions))
                && headers.equals(other.headers) && apiKeys.equals(other.apiKeys)
                && requireSignature == other.requireSignature && envelope == other.envelope;
    }

    private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(List<Subscription> subscriptions) {
        StringBuilder text = new StringBuilder();
        for (Subscription subscription : subscriptions) {
            text.append(subscription.types()).append('|')
                    .append(subscription.filter() == null ? "" : subscription.filter().language() + ":" + subscription.filter().source())
                    .append('|')
                    .append(subscription.transform() == null ? "" : subscription.transform().language() + ":" + subscription.transform().source())
                    .append(';');
        }
        return text.toString();
    }

    /** Scheme and authority of an http(s) URL, without user info: the endpoint of {@link #webhookEndpoint()}. */
    static String endpointOf(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().lastIndexOf('@') + 1);
    }

    @Override
    public String toString() {
        // Never print keys, nor the URL's user info or query: partners put tokens there.
        return "Partner[" + id + " -> " + printableUrl(webhookUrl) + ", events=" + subscriptions
                + (envelope ? "" : ", no envelope") + "]";
    }

    private static String printableUrl(String url) {
        if (url == null) {
            return null;
        }
        URI uri = URI.create(url);
        String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return uri.getRawQuery() == null ? shown : shown + "?…";
    }
}
