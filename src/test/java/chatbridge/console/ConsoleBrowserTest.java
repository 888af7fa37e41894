package chatbridge.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real headless browser (Debian's chromium, driven by its chromium-driver): it loads, shows the
 * partner, pausing it on the page changes its state there, and replaying its dead letters empties its DLQ.
 */
class ConsoleBrowserTest {
    private static final String TOKEN = "console-admin-token-0123456789";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void thePageShowsPartnersAndItsButtonsWork() throws Exception {
        // .ci/run installs both; a developer machine without them skips this test rather than failing it.
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "chromium and chromium-driver");
        try (WebhookReceiver partner = new WebhookReceiver(); BridgeRunner bridge = new BridgeRunner()) {
            partner.respondWith(request -> Reply.status(400));
            bridge.set("chatbridge.admin.token", TOKEN)
                    .set("chatbridge.partner.id", "shop")
                    .set("chatbridge.partner.webhook-url", partner.url())
                    .set("chatbridge.partner.webhook-secret", "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh")
                    .start();
            AdminClient admin = new AdminClient(bridge.managementPort(), TOKEN);
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("console-1", "v-1", Instant.now()));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("console-2", "v-2", Instant.now()));
            }
            await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() -> admin.partner("shop").get("deadLetters").asInt() == 2);
            partner.respondWith(request -> Reply.ok());

            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + bridge.managementPort() + "/console/");
                browser.findElement(By.id("token")).sendKeys(TOKEN);
                browser.findElement(By.id("connect")).click();

                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() -> stateOnPage(browser).equals("active"));
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                        browser.findElement(By.cssSelector("#partners tr[data-partner='shop'] td[data-dead-letters]")).getText().equals("2"));
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() ->
                        browser.findElements(By.cssSelector("#dead-letters tbody tr")).size() == 2);

                // The README's picture of it (demo/console.png is a copy).
                Files.write(Path.of("target", "console.png"),
                        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

                click(browser, "Pause");
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() -> stateOnPage(browser).equals("paused"));
                assertEquals("paused", admin.partner("shop").get("state").asText(), "the page paused it for real");
                click(browser, "Resume");
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() -> stateOnPage(browser).equals("active"));

                click(browser, "Replay dead letters");
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(20)).until(() -> admin.partner("shop").get("deadLetters").asInt() == 0);
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(20)).until(() -> partner.acknowledgedIds().containsAll(java.util.List.of("console-1", "console-2")));
                await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(15)).until(() ->
                        browser.findElements(By.cssSelector("#dead-letters tbody tr")).isEmpty());

            } finally {
                browser.quit();
            }
        }
    }

    private static String stateOnPage(WebDriver browser) {
        java.util.List<WebElement> badges = browser.findElements(By.cssSelector("#partners tr[data-partner='shop'] span[data-state]"));
        return badges.isEmpty() ? "" : badges.get(0).getAttribute("data-state");
    }

    /** The page redraws its table every few seconds: a button found just before a redraw is gone, so find it again. */
    private static void click(WebDriver browser, String label) {
        await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class).atMost(Duration.ofSeconds(10)).until(() -> {
            button(browser, label).click();
            return true;
        });
    }

    private static WebElement button(WebDriver browser, String label) {
        for (WebElement button : browser.findElements(By.cssSelector("#partners tr[data-partner='shop'] button"))) {
            if (button.getText().equals(label)) {
                return button;
            }
        }
        throw new AssertionError("no " + label + " button for shop");
    }
}
