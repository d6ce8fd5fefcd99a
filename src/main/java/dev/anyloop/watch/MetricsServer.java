package dev.anyloop.watch;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link Metrics} on {@code /metrics} (the JDK's own HTTP server: one thread, plain text). */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) { this.server = server; }

    /** Binds {@code address}; a taken address or port throws BindException, which the CLI reports with exit 2. */
    public static MetricsServer start(InetSocketAddress address, Metrics metrics) throws IOException {
        HttpServer s;
        try {
            s = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new BindException("metrics address " + address.getHostString() + ":" + address.getPort() + " is not free: " + e.getMessage());
        }
        s.createContext("/metrics", ex -> {
            byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        s.createContext("/", ex -> {
            byte[] body = "anyloop watch: metrics at /metrics\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/") ? 200 : 404, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        s.start();
        return new MetricsServer(s);
    }

    public int port() { return server.getAddress().getPort(); }

    @Override
    public void close() { server.stop(0); }
}
