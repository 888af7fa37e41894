package chatbridge;

import org.apache.camel.main.Main;

/** Starts chat-bridge: configuration in application.properties, flows in routes/*.yaml. */
public final class ChatBridgeApplication {
    private ChatBridgeApplication() {
    }

    public static void main(String... args) throws Exception {
        // No main class: Main(Class) would scan its package for configuration classes and route builders, whatever
        // camel.main.basePackageScanEnabled says; application.properties names them instead.
        Main main = new Main();
        main.run(args);
    }
}
