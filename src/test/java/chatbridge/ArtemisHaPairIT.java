package chatbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import chatbridge.testing.ArtemisHaPair;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.Ports;
import chatbridge.testing.StandaloneArtemis;
import org.junit.jupiter.api.Test;

/**
 * artemis/create-ha-pair.sh makes a pair that fails over: messages stored by the primary are all there once it is
 * killed and the backup has taken over, for a client that keeps using the one HA url throughout.
 */
class ArtemisHaPairIT {
    @Test
    void messagesStoredByThePrimaryAreConsumedFromTheBackupAfterThePrimaryIsKilled() throws Exception {
        Path work = Files.createTempDirectory("chat-bridge-ha-pair");
        try (ArtemisHaPair pair = new ArtemisHaPair(work.resolve("ha"), Ports.free(), Ports.free(), work.resolve("artemis.log"))) {
            pair.start();
            List<String> bodies = IntStream.range(0, 50).mapToObj(i -> "ha-message-" + i).toList();
            try (ChatSystem client = new ChatSystem(pair.url(), StandaloneArtemis.ADMIN_USER, StandaloneArtemis.ADMIN_PASSWORD)) {
                client.sendTextsInOneTransaction("ha.check", bodies);

                pair.killPrimary();
                pair.awaitBackupLive(Duration.ofSeconds(30));

                // The same connection, failed over to the backup by the client itself.
                Set<String> received = new HashSet<>();
                client.takeAll("ha.check", Duration.ofSeconds(5)).forEach(message -> received.add(message.body()));
                assertEquals(Set.copyOf(bodies), received);
            }
        }
    }
}
