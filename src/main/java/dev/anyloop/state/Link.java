package dev.anyloop.state;

/** A network interface on a host: its name, its kind and whether it is administratively and operationally up. */
public record Link(String name, Kind kind, boolean up) {
    /** What kind of device an interface is, as far as forwarding and the lab care. */
    public enum Kind { LOOPBACK, ETHER, BRIDGE, DUMMY, OTHER }
}
