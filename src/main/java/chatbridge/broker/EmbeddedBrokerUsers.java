package chatbridge.broker;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * Who may log in to the embedded broker, with the roles artemis/broker.xml grants permissions to:
 * <ul>
 *   <li>{@value #BRIDGE_ROLE}: the bridge itself, in-VM, with a password made up at every start and never shown;</li>
 *   <li>{@value #CHAT_SYSTEM_ROLE}: the chat system, from BROKER_CHAT_USER / BROKER_CHAT_PASSWORD;</li>
 *   <li>{@value #OPERATOR_ROLE}: people inspecting dead letters, from BROKER_OPERATOR_USER / BROKER_OPERATOR_PASSWORD.</li>
 * </ul>
 * A user without a password is not created.
 */
public final class EmbeddedBrokerUsers {
    public static final String BRIDGE_ROLE = "bridge";
    public static final String CHAT_SYSTEM_ROLE = "chat-system";
    public static final String OPERATOR_ROLE = "operator";
    static final String BRIDGE_USER = "chat-bridge";

    private final String bridgePassword = randomPassword();
    private final boolean requireLogin;
    private final String chatUser;
    private final String chatPassword;
    private final String operatorUser;
    private final String operatorPassword;

    /**
     * @param requireLogin ask for a login even when every acceptor is on loopback (beyond it, always)
     */
    public EmbeddedBrokerUsers(boolean requireLogin, String chatUser, String chatPassword, String operatorUser,
                               String operatorPassword) {
        this.requireLogin = requireLogin;
        this.chatUser = chatUser;
        this.chatPassword = chatPassword;
        this.operatorUser = operatorUser;
        this.operatorPassword = operatorPassword;
    }

    boolean requireLogin() {
        return requireLogin;
    }

    String bridgeUser() {
        return BRIDGE_USER;
    }

    String bridgePassword() {
        return bridgePassword;
    }

    /** The users other clients can log in as, for the startup log: names only. */
    List<String> clientUsers() {
        List<String> users = new ArrayList<>();
        if (!chatPassword.isBlank()) {
            users.add(chatUser + " (" + CHAT_SYSTEM_ROLE + ")");
        }
        if (!operatorPassword.isBlank()) {
            users.add(operatorUser + " (" + OPERATOR_ROLE + ")");
        }
        return users;
    }

    ActiveMQSecurityManager securityManager() {
        SecurityConfiguration users = new SecurityConfiguration();
        add(users, BRIDGE_USER, bridgePassword, BRIDGE_ROLE);
        add(users, chatUser, chatPassword, CHAT_SYSTEM_ROLE);
        add(users, operatorUser, operatorPassword, OPERATOR_ROLE);
        return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users);
    }

    private static void add(SecurityConfiguration users, String user, String password, String role) {
        if (password.isBlank()) {
            return;
        }
        if (user.isBlank() || user.equals(BRIDGE_USER) && !role.equals(BRIDGE_ROLE)) {
            throw new IllegalArgumentException("the broker user name '" + user + "' for role " + role
                    + " is empty or reserved for the bridge itself");
        }
        users.addUser(user, password);
        users.addRole(user, role);
    }

    private static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
