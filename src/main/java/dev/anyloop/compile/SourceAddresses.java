package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * T8: {@code ip route change PREFIX ... src FROM}. The main-table route to {@code to} (connected or
 * declared) gets the preferred source FROM, so connections the host opens toward it carry FROM.
 */
final class SourceAddresses {
    private SourceAddresses() { }

    /**
     * {@code routes} (kernel and declared ones of {@code host}) with every source intent of the host
     * applied; throws when no route to {@code to} exists.
     */
    static List<Route> apply(Intent intent, String host, List<Route> routes) {
        List<Route> out = new ArrayList<>(routes);
        for (SourceDef s : intent.sources()) {
            if (!s.host().equals(host)) continue;
            if (s.from().family() != s.to().family()) {
                throw new IllegalArgumentException("source-addresses: host " + host + ": from " + s.from()
                        + " and to " + s.to() + " are of different families");
            }
            boolean found = false;
            for (int i = 0; i < out.size(); i++) {
                Route r = out.get(i);
                // The caller passes kernel and declared routes only: T8 names a connected or declared
                // route, and those are the unicast main-table routes with that destination.
                if (r.table() == Route.TABLE_MAIN && r.type() == Route.Type.UNICAST && r.dst().equals(s.to())) {
                    out.set(i, r.withSrc(Optional.of(s.from())));
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("source-addresses: host " + host + " has no connected or declared route to "
                        + s.to() + " to give src " + s.from());
            }
        }
        return out;
    }
}
