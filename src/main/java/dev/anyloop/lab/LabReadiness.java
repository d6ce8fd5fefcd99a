package dev.anyloop.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Waits until a lab namespace's links carry traffic. A veth has carrier (LOWER_UP) as soon as both ends
 * are up, but its operstate, and the state of a bridge port it is, change only when the kernel's linkwatch
 * work runs (linkwatch_do_dev sends NETDEV_CHANGE, which br_port_carrier_check needs): that can be a second
 * or more later when rtnl is busy (other namespaces being built or torn down). Until then a bridge port is
 * "disabled" and drops every frame, so a probe sent right after {@code lab up} times out while the same
 * probe a second later answers.
 */
final class LabReadiness {
    private LabReadiness() { }

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The devices of one namespace that have carrier but are not operationally up yet, and the bridge ports
     * with carrier that are not forwarding yet, from {@code ip -json link show} and {@code bridge -json link show}.
     */
    static List<String> unsettled(String ipLinkJson, String bridgeLinkJson) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : array(ipLinkJson)) {
            String op = l.path("operstate").asText();
            if (carrier(l) && !op.equals("UP") && !op.equals("UNKNOWN")) out.add(l.path("ifname").asText() + " (carrier, operstate " + op + ")");
        }
        for (JsonNode p : array(bridgeLinkJson)) {
            String st = p.path("state").asText();
            if (carrier(p) && !st.equals("forwarding")) out.add(p.path("ifname").asText() + " (bridge port " + st + ")");
        }
        return out;
    }

    /** Polls {@code ns} until {@link #unsettled} is empty; throws naming what is still not up after {@link #TIMEOUT}. */
    static void await(Netns os, String ns) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String links = os.runner().run(List.of("ip", "-n", Netns.check(ns), "-json", "link", "show"), Optional.empty(),
                    Duration.ofSeconds(10)).orThrow().out();
            CommandRunner.Result ports = os.runner().run(List.of("bridge", "-n", Netns.check(ns), "-json", "link", "show"), Optional.empty(),
                    Duration.ofSeconds(10)).orThrow();
            List<String> bad = unsettled(links, ports.out());
            if (bad.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("namespace " + ns + ": links not up after " + TIMEOUT.toSeconds() + " s: " + bad);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static boolean carrier(JsonNode l) {
        for (JsonNode f : l.path("flags")) if (f.asText().equals("LOWER_UP")) return true;
        return false;
    }

    private static JsonNode array(String json) {
        if (json.isBlank()) return JSON.createArrayNode();
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("expected JSON from ip/bridge, found: " + json, e);
        }
    }
}
