package dev.anyloop.state;

import dev.anyloop.net.InterfaceAddress;

/** An address configured on an interface ({@code ip address add ADDR dev DEV}). */
public record Address(String dev, InterfaceAddress address, Scope scope) {
    /** The scope iproute2 shows for an address. */
    public enum Scope {
        GLOBAL, LINK, HOST;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public static Address global(String dev, InterfaceAddress a) { return new Address(dev, a, Scope.GLOBAL); }
}
