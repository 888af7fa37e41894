package chatbridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import chatbridge.testing.BridgeJar;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * The jar a user runs (README's first command), as a separate process configured only by environment variables:
 * it starts its embedded broker, delivers a signed webhook, and stops promptly on SIGTERM.
 */
class PackagedJarIT {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    /** The environment of a bridge with one partner, its broker in dataDir and reachable on brokerPort. */
    static Map<String, String> environment(Path dataDir, int brokerPort, int managementPort, String partnerUrl) {
        return Map.of(
                "BROKER_DATA_DIR", dataDir.resolve("broker").toString(),
                "BROKER_ACCEPTOR", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP",
                "HTTP_PORT", String.valueOf(Ports.free()),
                "MANAGEMENT_PORT", String.valueOf(managementPort),
                "PARTNERS_FILE", dataDir.resolve("none.yaml").toString(),
                "PARTNER_ID", "shop",
                "PARTNER_WEBHOOK_URL", partnerUrl,
                "PARTNER_WEBHOOK_SECRET", SECRET);
    }

    @Test
    void theJarRefusesABrokerReachableBeyondLoopbackWithoutUsers() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        int brokerPort = Ports.free();
        Map<String, String> env = new java.util.HashMap<>(environment(dataDir, brokerPort, Ports.free(), "http://127.0.0.1:9/hook"));
        env.put("BROKER_ACCEPTOR", "tcp://0.0.0.0:" + brokerPort);
        Path log = dataDir.resolve("bridge.log");
        try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), log, env, List.of(), 0)) {
            assertTrue(bridge.runUntilExit(Duration.ofSeconds(60)) != 0, "exits with an error");
        }
        List<String> naming = Files.readAllLines(log).stream()
                .filter(line -> line.contains("beyond loopback") && line.contains("BROKER_CHAT_PASSWORD")).toList();
        assertTrue(!naming.isEmpty(), "one line names the settings to set; see " + log);
    }

    /** A route that cannot be built fails the start after the embedded broker is up: the JVM must still exit. */
    @Test
    void theJarExitsWhenItCannotStart() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        Path routes = Files.createDirectories(dataDir.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: no-such-component:nowhere
                      steps:
                        - log: "never"
                """);
        Map<String, String> env = new java.util.HashMap<>(environment(dataDir, Ports.free(), Ports.free(), "http://127.0.0.1:9/hook"));
        env.put("ROUTES_PATTERN", "file:" + routes.resolve("broken.yaml"));
        Path log = dataDir.resolve("bridge.log");
        try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), log, env, List.of(), 0)) {
            assertTrue(bridge.runUntilExit(Duration.ofSeconds(60)) != 0, "exits with an error");
        }
        assertTrue(Files.readAllLines(log).stream().anyMatch(line -> line.contains("chat-bridge did not start")),
                "says why; see " + log);
    }

    /** Camel's HTTP server only logs a port it cannot listen on: the bridge must not run on without its Open API. */
    @Test
    void theJarExitsWhenItsHttpPortIsTaken() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Map<String, String> env = new java.util.HashMap<>(environment(dataDir, Ports.free(), Ports.free(), "http://127.0.0.1:9/hook"));
            env.put("HTTP_PORT", String.valueOf(taken.getLocalPort()));
            Path log = dataDir.resolve("bridge.log");
            try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), log, env, List.of(), 0)) {
                assertTrue(bridge.runUntilExit(Duration.ofSeconds(60)) != 0, "exits with an error");
            }
            assertTrue(Files.readAllLines(log).stream().anyMatch(line -> line.contains("could not listen on port ["
                    + taken.getLocalPort() + "]")), "names the port; see " + log);
        }
    }

    @Test
    void theJarDeliversAnEventAndStopsOnSigterm() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        Path log = dataDir.resolve("bridge.log");
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), log,
                     environment(dataDir, brokerPort, managementPort, partner.url()), List.of(), managementPort)) {
            bridge.start(true);
            try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("jar-1", "v-1", Instant.now()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> partner.requestsFor("jar-1").size() == 1);
            WebhookReceiver.Request request = partner.requestsFor("jar-1").get(0);
            assertTrue(StandardWebhooks.verify(SECRET, "jar-1", request.header("webhook-timestamp"), request.body(),
                    request.header("webhook-signature")));

            assertTrue(bridge.terminate(Duration.ofSeconds(20)), "the JVM exits promptly on SIGTERM");
            String output = Files.readString(log);
            assertTrue(output.contains("Embedded Artemis stopped"), "graceful stop");
            assertTrue(!output.contains(SECRET.substring(6)), "the signing secret never appears in the log");
        }
    }

    /** LOG_FORMAT=json: every line one JSON object; a failed delivery's line carries its ids, status and duration. */
    @Test
    void jsonLogsCarryTheDeliverysIdsAndNoPayload() throws Exception {
        Path dataDir = Files.createTempDirectory("chat-bridge-jar");
        int brokerPort = Ports.free();
        int managementPort = Ports.free();
        Path log = dataDir.resolve("bridge.log");
        try (WebhookReceiver partner = new WebhookReceiver()) {
            partner.respondWith(request -> WebhookReceiver.Reply.status(503));
            Map<String, String> env = new java.util.HashMap<>(environment(dataDir, brokerPort, managementPort, partner.url()));
            env.put("LOG_FORMAT", "json");
            try (BridgeJar bridge = new BridgeJar(Path.of("target", "chat-bridge.jar"), log, env, List.of(), managementPort)) {
                bridge.start(true);
                try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + brokerPort)) {
                    chat.sendText("chat.order.completed", ChatSystem.orderCompleted("json-1", "v-json", Instant.now()));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("failed (attempt 1/"));
                assertTrue(bridge.terminate(Duration.ofSeconds(20)));
            }
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode failure = null;
        for (String line : Files.readAllLines(log)) {
            com.fasterxml.jackson.databind.JsonNode entry = json.readTree(line); // throws if a line is not JSON
            if (entry.path("message").asText().contains("failed (attempt 1/")) {
                failure = entry;
            }
            assertTrue(!line.contains("v-json"), "no payload in the log: " + line);
        }
        assertTrue(failure != null);
        assertEquals("json-1", failure.path("eventId").asText(), failure.toString());
        assertEquals("shop", failure.path("partner").asText(), failure.toString());
        assertEquals("1", failure.path("attempt").asText(), failure.toString());
        assertEquals("503", failure.path("status").asText(), failure.toString());
        assertTrue(failure.has("durationMs"), failure.toString());
        assertEquals("WARN", failure.path("level").asText());
    }
}
