package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import dev.anyloop.state.DeviceState;
import java.time.Duration;
import java.util.List;

/** The lab's services started as a host's own units would be: once the addresses they bind are up. */
final class LabServices {
    private LabServices() { }

    /**
     * Starts the lab's services as soon as every service address is on its host's lo, the way a host's units start
     * once their address is up: apply --all puts the addresses there in its make wave and waits (before any route
     * moves) until the services listen, since anyloop starts none. The thread gives up after {@code within}.
     */
    static Thread onceAddressed(Lab lab, Duration within) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (everyServiceAddressUp(lab)) {
                    lab.startServices();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "services-once-addressed");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean everyServiceAddressUp(Lab lab) {
        for (DeviceState d : lab.network().hosts().values()) {
            List<String> wanted = d.addresses().stream().filter(a -> a.dev().equals("lo") && !a.address().ip().isLoopback())
                    .map(a -> " " + a.address().ip() + "/").toList();
            if (wanted.isEmpty()) continue;
            String lo = lab.exec(d.host(), List.of("ip", "-o", "addr", "show", "dev", "lo")).out();
            if (!wanted.stream().allMatch(lo::contains)) return false;
        }
        return true;
    }

}
