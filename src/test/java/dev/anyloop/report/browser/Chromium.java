package dev.anyloop.report.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyloop.os.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (a WebSocket on 127.0.0.1, java.net.http's client,
 * Jackson for the JSON): no WebDriver, so no chromedriver whose version must match, and the console messages,
 * uncaught exceptions and CSP violations the tests assert on arrive as protocol events. Started through
 * dev.anyloop.os.CommandRunner with a fresh profile and every background service off (this machine has no
 * network); {@link #close} kills it and removes the profile.
 */
public final class Chromium implements AutoCloseable {
    /** The browser; tests tagged "browser" need it (.ci/packages installs Debian's chromium). */
    public static final String BINARY = "/usr/bin/chromium";

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<JsonNode>> waiters = new CopyOnWriteArrayList<>();
    private volatile String waitingFor = "";

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    public static boolean installed() { return Files.isExecutable(Path.of(BINARY)); }

    /** Starts Chromium with a {@code width} x {@code height} window and opens one blank page to drive. */
    public static Chromium start(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("rp-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> argv = List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions",
                // a container's /dev/shm may be 64 MB, too small for a renderer: use /tmp instead
                "--disable-dev-shm-usage",
                "--mute-audio", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank");
        Process p = new CommandRunner().start(argv, profile.resolve("chromium.log"));
        try {
            int port = port(profile, p);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String ws = null;
            for (JsonNode t : new ObjectMapper().readTree(list.body())) {
                if (t.path("type").asText().equals("page")) ws = t.get("webSocketDebuggerUrl").asText();
            }
            if (ws == null) throw new IllegalStateException("Chromium opened no page: " + list.body());
            Chromium[] self = new Chromium[1];
            Listener l = new Listener(self);
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), l).get(10, TimeUnit.SECONDS);
            self[0] = new Chromium(p, profile, socket);
            for (String domain : List.of("Page", "Runtime", "Log")) self[0].call(domain + ".enable", Map.of());
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            delete(profile);
            throw new IllegalStateException("cannot drive Chromium (log in " + profile + "): " + e, e);
        }
    }

    /** Chromium writes the port it chose into DevToolsActivePort in its profile. */
    private static int port(Path profile, Process p) throws Exception {
        Path f = profile.resolve("DevToolsActivePort");
        for (int i = 0; i < 200; i++) {
            if (Files.exists(f)) {
                List<String> lines = Files.readAllLines(f);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) return Integer.parseInt(lines.get(0).trim());
            }
            if (!p.isAlive()) throw new IllegalStateException("Chromium exited with " + p.exitValue());
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium did not open its DevTools port within 10 s");
    }

    /** Sends one protocol command and waits for its result (at most 60 s). */
    public JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
        msg.set("params", json.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            socket.sendText(json.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
            JsonNode r = f.get(60, TimeUnit.SECONDS);
            if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
            return r.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Opens {@code page} and waits for its load event; returns the milliseconds from the request to the load event. */
    public double open(Path page) { return open(page.toUri().toString()); }

    /** As {@link #open(Path)} for a URL (about:blank between two measured loads). */
    public double open(String url) {
        CompletableFuture<JsonNode> loaded = expect("Page.loadEventFired");
        call("Page.navigate", Map.of("url", url));
        try {
            loaded.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("page did not load: " + url, e);
        }
        return eval("(performance.getEntriesByType('navigation')[0] || {loadEventEnd: -1}).loadEventEnd").asDouble();
    }

    private CompletableFuture<JsonNode> expect(String method) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        waitingFor = method;
        waiters.add(f);
        return f;
    }

    /** The value of a JavaScript expression in the page (awaited when it is a promise). */
    public JsonNode eval(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException(expression + " threw: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** A real mouse click (pressed and released) at page coordinates, as a person's click reaches the page. */
    public void click(double x, double y) {
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Scrolls the element {@code selector} finds into view and clicks its centre. */
    public void clickOn(String selector) {
        JsonNode r = eval("(() => { const e = document.querySelector(" + json.valueToTree(selector) + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center', inline: 'center'}); const b = e.getBoundingClientRect();"
                + " return [b.left + b.width / 2, b.top + b.height / 2]; })()");
        if (r.isNull() || r.isMissingNode()) throw new IllegalStateException("nothing matches " + selector);
        click(r.get(0).asDouble(), r.get(1).asDouble());
    }

    /** Types text into the focused element, key by key. */
    public void type(String text) { call("Input.insertText", Map.of("text", text)); }

    public void pressEnter() {
        for (String type : List.of("keyDown", "keyUp")) {
            call("Input.dispatchKeyEvent", Map.of("type", type, "key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13));
        }
    }

    /** A PNG of the viewport, or of the whole page when {@code full}. */
    public byte[] screenshot(boolean full) {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", full));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    /**
     * Every error the page reported since it was opened: console.error calls, uncaught exceptions, and the
     * browser's own log entries at level error (a blocked resource, a Content-Security-Policy violation).
     */
    public List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String m = e.path("method").asText();
            JsonNode p = e.path("params");
            if (m.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) out.add("console.error " + p.path("args"));
            if (m.equals("Runtime.exceptionThrown")) out.add("exception " + p.path("exceptionDetails"));
            if (m.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) out.add("log " + p.path("entry"));
        }
        return out;
    }

    public void clearEvents() { events.clear(); }

    @Override
    public void close() {
        try {
            socket.abort();
        } finally {
            // its renderer, GPU and crashpad processes: listed before the browser goes, as they are re-parented after
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a profile left in /tmp is untidy, not wrong
        }
    }

    void receive(String text) {
        try {
            JsonNode m = json.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
                if (f != null) f.complete(m);
                return;
            }
            events.add(m);
            if (m.path("method").asText().equals(waitingFor)) {
                for (CompletableFuture<JsonNode> w : waiters) w.complete(m);
                waiters.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reassembles the WebSocket's text frames into messages. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] owner;
        private final StringBuilder buffer = new StringBuilder();
        private final List<String> early = new ArrayList<>();

        Listener(Chromium[] owner) { this.owner = owner; }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String m = buffer.toString();
                buffer.setLength(0);
                synchronized (early) {
                    if (owner[0] == null) early.add(m);
                    else {
                        early.forEach(owner[0]::receive);
                        early.clear();
                        owner[0].receive(m);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** Writes {@code html} to a fresh file under target/ for the browser to open. */
    public static Path page(String name, String html) {
        try {
            Path dir = Path.of("target", "browser");
            Files.createDirectories(dir);
            Path p = dir.resolve(name).toAbsolutePath();
            Files.writeString(p, html, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
