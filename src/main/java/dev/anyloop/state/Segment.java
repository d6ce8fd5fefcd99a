package dev.anyloop.state;

import java.util.List;

/** An L2 domain: the interfaces (host, device) that can reach each other's addresses directly. */
public record Segment(String name, List<Port> ports) {
    public Segment {
        ports = List.copyOf(ports);
    }

    /** One interface of one host attached to a segment. */
    public record Port(String host, String dev) {
        @Override
        public String toString() { return host + ":" + dev; }
    }

    public boolean has(String host, String dev) { return ports.contains(new Port(host, dev)); }
}
