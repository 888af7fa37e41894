package chatbridge.partners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import chatbridge.security.Secrets;
import chatbridge.testing.Catalogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnerLoaderTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    @TempDir
    Path dir;

    final PartnerLoader loader = new PartnerLoader(new Secrets(Map.of("ACME_SECRET", SECRET, "ACME_KEY", "key-123")::get),
            Catalogs.builtIn(), Duration.ofSeconds(1));

    @Test
    void readsPartnersWithSecretsFromTheEnvironmentAndFiles() throws Exception {
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, "key-from-file\n");
        Path file = dir.resolve("partners.yaml");
        Files.writeString(file, """
                partners:
                  - id: acme-shop
                    webhookUrl: https://shop.example.com/hooks?token=abc
                    secrets: [env:ACME_SECRET, %s]
                    events: [order.completed]
                    headers: {X-Tenant: acme}
                    apiKeys: [env:ACME_KEY, file:%s]
                    requireSignature: true
                """.formatted(SECRET, keyFile));
        List<Partner> partners = loader.load(file, null);
        assertEquals(1, partners.size());
        Partner acme = partners.get(0);
        assertEquals("acme-shop", acme.id());
        assertEquals(2, acme.signingKeys().size());
        assertTrue(acme.subscribesTo("order.completed"));
        assertFalse(acme.subscribesTo("visitor.online"));
        assertEquals(List.of("key-123", "key-from-file"), acme.apiKeys());
        assertEquals("acme", acme.headers().get("X-Tenant"));
        assertTrue(acme.requireSignature());
        assertFalse(acme.toString().contains("key-123"), "keys never printed");
        assertFalse(acme.toString().contains("abc"), "nor a URL's query, which may carry a token: " + acme);
        assertTrue(acme.toString().contains("https://shop.example.com/hooks?…"), acme.toString());
    }

    @Test
    void settingsAddASinglePartnerForAllEventTypes() {
        List<Partner> partners = loader.load(dir.resolve("missing.yaml"),
                new PartnerLoader.SinglePartner("shop", "http://127.0.0.1:9/hook", SECRET, "", "k1 k2"));
        assertEquals(1, partners.size());
        assertTrue(partners.get(0).subscribesTo("visitor.online") && partners.get(0).subscribesTo("order.completed"));
        assertEquals(List.of("k1", "k2"), partners.get(0).apiKeys());
    }

    @Test
    void badConfigurationFailsWithAClearMessageThatNeverShowsTheSecret() throws Exception {
        Path file = dir.resolve("partners.yaml");
        String[] good = {"acme", "https://shop.example.com/hooks", SECRET, "visitor.online"};
        String[][] bad = {
                {"0", "Bad_Id", "id must be"},
                {"1", "ftp://x", "http(s)"},
                {"2", "notasecret", "whsec_"},
                {"2", "env:UNSET_VAR", "UNSET_VAR is not set"},
                {"2", "whsec_c2hvcnQ=", "24 to 64 bytes"},
                {"3", "visitor.left", "unknown event type"},
        };
        for (String[] c : bad) {
            String[] values = good.clone();
            values[Integer.parseInt(c[0])] = c[1];
            Files.writeString(file, """
                    partners:
                      - id: %s
                        webhookUrl: %s
                        secrets: [%s]
                        events: [%s]
                    """.formatted((Object[]) values));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(file, null), c[1]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET.substring(6)), "secret in message: " + e.getMessage());
        }
    }

    @Test
    void theExampleFileLoadsWithItsPatternAndFilter() {
        PartnerLoader example = new PartnerLoader(new Secrets(Map.of("ACME_WEBHOOK_SECRET", SECRET, "ACME_API_KEY", "k")::get),
                Catalogs.builtIn(), Duration.ofSeconds(1));
        Partner acme = example.load(Path.of("config/partners.example.yaml"), null).get(0);
        assertTrue(acme.subscribesTo("visitor.online") && acme.subscribesTo("order.completed"));
        assertTrue(acme.subscriptionFor("order.completed").orElseThrow().filter() != null);
        assertTrue(acme.subscriptionFor("visitor.online").orElseThrow().filter() == null);
        assertTrue(acme.envelope());
    }

    @Test
    void subscriptionsAreCheckedAgainstTheCatalog() throws Exception {
        Path file = dir.resolve("partners.yaml");
        String partner = """
                partners:
                  - id: acme
                    webhookUrl: https://shop.example.com/hooks
                    secrets: [%s]
                    events: %s
                """;
        Files.writeString(file, partner.formatted(SECRET, "[ticket.*]"));
        assertTrue(loader.load(file, null).get(0).events().isEmpty(), "a pattern may match nothing yet");
        Files.writeString(file, partner.formatted(SECRET, "[{type: order.*, transform: {jq: '.a | | .b'}}]"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> loader.load(file, null));
        assertTrue(bad.getMessage().contains("partner 'acme', events 'order.*', transform: not a valid jq expression"), bad.getMessage());
        Files.writeString(file, partner.formatted(SECRET, "[{type: order.*, filtr: {jq: '.'}}]"));
        bad = assertThrows(IllegalArgumentException.class, () -> loader.load(file, null));
        assertTrue(bad.getMessage().contains("unknown key 'filtr'"), bad.getMessage());
    }
}
