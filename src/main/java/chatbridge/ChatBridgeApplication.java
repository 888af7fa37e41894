package chatbridge;

import java.util.Arrays;

import chatbridge.cli.AdminCli;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Starts chat-bridge: configuration in application.properties, flows in routes/*.yaml. With {@code admin} as the first
 * argument the same jar is the Admin API's command-line client instead ({@link AdminCli}): it runs the command and
 * exits with its code, without starting Camel.
 */
public final class ChatBridgeApplication {
    private ChatBridgeApplication() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length), System::getenv, System.out, System.err));
        } else {
            // No main class: Main(Class) would scan its package for configuration classes and route builders, whatever
            // camel.main.basePackageScanEnabled says; application.properties names them instead.
            Main main = new Main();
            try {
                main.run(args);
            } catch (Exception e) {
                // A start that fails after the embedded broker is up (a broken route file, say) would otherwise leave
                // the JVM running on Artemis' threads, holding the journal's lock, until killed.
                LoggerFactory.getLogger(ChatBridgeApplication.class).error("chat-bridge did not start", e);
                System.exit(1);
            }
        }
    }
}
