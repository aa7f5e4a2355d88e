package io.tickshard.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test class, driven by the machine's own ChromeDriver (never one that
 * Selenium Manager would download: nothing outside is reachable). A test that fails leaves a
 * screenshot and the page's HTML under {@code target/screenshots/}, taken the moment it threw.
 */
final class Browser
    implements BeforeAllCallback,
        AfterAllCallback,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  static final Path CHROMIUM = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS =
      Path.of(System.getProperty("e2e.screenshots", "target/screenshots"));

  private ChromeDriver driver;

  @Override
  public void beforeAll(ExtensionContext context) {
    for (Path executable : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(executable)) {
        throw new IllegalStateException(
            executable
                + " is missing: the browser tests need Chromium and its driver; install them with"
                + " `apt-get install chromium chromium-driver` (Debian), or name others with"
                + " -De2e.chromium=... -De2e.chromedriver=...");
      }
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--window-size=1280,800");
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
    }
  }

  WebDriver driver() {
    return driver;
  }

  /** Waits up to {@code timeout} for {@code condition} to give something other than null/false. */
  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
  }

  @SuppressWarnings("unchecked")
  <T> T script(String javascript, Object... arguments) {
    return (T) driver.executeScript(javascript, arguments);
  }

  /**
   * The viewport as a device of that size would have it (a headless window has a minimum width, and
   * its window size is not quite its viewport).
   */
  void viewport(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.<String, Object>of(
            "width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** A PNG of the viewport and the page's HTML as it stands, as {@code name}.png and .html. */
  Path save(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path png = SCREENSHOTS.resolve(name + ".png");
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource());
    return png;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    saveFailure(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    saveFailure(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    saveFailure(context, failure);
  }

  private void saveFailure(ExtensionContext context, Throwable failure) throws Throwable {
    if (driver != null) {
      String name =
          context.getRequiredTestClass().getSimpleName()
              + "-"
              + context.getTestMethod().map(m -> m.getName()).orElse("setup")
              + "-failed";
      try {
        Path png = save(name);
        failure.addSuppressed(new RuntimeException("screenshot of the failure: " + png));
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }
}
