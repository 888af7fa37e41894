package chatbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import chatbridge.broker.EmbeddedBroker;
import chatbridge.broker.EmbeddedBrokerUsers;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Diagnostic: latency of one transacted persistent send + commit on the embedded broker (args: broker.properties). */
public final class CommitProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("probe");
        EmbeddedBroker broker = new EmbeddedBroker("artemis/broker.xml", dir, "", args.length > 0 ? args[0] : "",
                new EmbeddedBrokerUsers(false, "", "", "", ""));
        broker.start();
        try (Connection c = new ActiveMQConnectionFactory("vm://0").createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer p = s.createProducer(s.createQueue("probe"))) {
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                int n = 2000;
                for (int i = 0; i < n; i++) {
                    p.send(s.createTextMessage("x".repeat(1000)));
                    s.commit();
                }
                System.out.printf("%d commits: %.3f ms each%n", n, (System.nanoTime() - start) / 1e6 / n);
            }
            try (Session rs = c.createSession(true, Session.SESSION_TRANSACTED);
                 jakarta.jms.MessageConsumer consumer = rs.createConsumer(rs.createQueue("probe"))) {
                c.start();
                long start = System.nanoTime();
                int n = 0;
                while (consumer.receive(500) != null) {
                    rs.commit();
                    n++;
                }
                System.out.printf("%d receive+commit: %.3f ms each%n", n, ((System.nanoTime() - start) / 1e6 - 500) / n);
            }
        }
        broker.stop();
        System.exit(0);
    }
}
