package chatbridge;

import org.apache.camel.main.Main;

/** Starts chat-bridge: configuration in application.properties, flows in routes/*.yaml. */
public final class ChatBridgeApplication {
    private ChatBridgeApplication() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(ChatBridgeApplication.class);
        main.run(args);
    }
}
