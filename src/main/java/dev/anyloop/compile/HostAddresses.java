package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The addresses a host holds: lo's own, its loopbacks and service addresses (T1), its interfaces', docker0's. */
final class HostAddresses {
    static final String LO = "lo";
    static final InterfaceAddress LO_V4 = InterfaceAddress.parse("127.0.0.1/8");
    static final InterfaceAddress LO_V6 = InterfaceAddress.parse("::1/128");

    private HostAddresses() { }

    /** 127.0.0.1/8 and ::1/128 on lo, scope host, as every Linux network namespace starts with. */
    static List<Address> loopback() {
        return List.of(new Address(LO, LO_V4, Address.Scope.HOST), new Address(LO, LO_V6, Address.Scope.HOST));
    }

    /**
     * Every address of {@code host}, lo first, then interfaces in file order, then docker0 when
     * {@code bridge} is present. An address declared twice on lo (loopback and service) appears once.
     */
    static List<Address> of(Intent intent, HostDef host, List<InterfaceAddress> bridge) {
        List<Address> out = new ArrayList<>(loopback());
        Set<Ip> onLo = new LinkedHashSet<>(List.of(LO_V4.ip(), LO_V6.ip()));
        for (InterfaceAddress a : host.loopbacks()) {
            // `ip address add X/32 dev lo` gives scope global: the address is routeable, unlike 127/8.
            if (onLo.add(a.ip())) out.add(Address.global(LO, a));
        }
        for (ServiceDef s : intent.services().values()) {
            if (!s.hosts().contains(host.name())) continue;
            for (Ip x : s.addresses()) {
                if (onLo.add(x)) out.add(Address.global(LO, InterfaceAddress.of(x, x.family().bits())));
            }
        }
        for (InterfaceDef i : host.interfaces().values()) {
            for (InterfaceAddress a : i.addresses()) out.add(Address.global(i.name(), a));
        }
        for (InterfaceAddress a : bridge) out.add(Address.global(Docker.BRIDGE, a));
        return out;
    }
}
