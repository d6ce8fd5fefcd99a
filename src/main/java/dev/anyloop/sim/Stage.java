package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.state.BuiltinChain;
import dev.anyloop.state.ChainType;
import dev.anyloop.state.Hook;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One thing a netfilter hook runs, at its priority: an iptables built-in chain, an nft base chain, or the NAT
 * core. The NAT core runs at the fixed NAT priority of its hook (-100 at prerouting and output, 100 at input
 * and postrouting, as nf_nat_ipv4_ops register it) and inside it every nat chain of that hook, iptables' and
 * nft's, in their own priority order; the first one that binds a NAT wins (nf_nat_inet_fn). It also undoes a
 * connection's NAT on its replies, so it is there whether or not a host has nat chains on that hook.
 */
final class Stage {
    final int priority;
    final ChainType type;
    final BuiltinChain ipt;
    final NftEngine.Base nft;
    /** For the NAT core: the nat chains in order. */
    final Stage[] nat;

    private Stage(int priority, ChainType type, BuiltinChain ipt, NftEngine.Base nft, Stage[] nat) {
        this.priority = priority;
        this.type = type;
        this.ipt = ipt;
        this.nft = nft;
        this.nat = nat;
    }

    boolean natCore() { return nat != null; }

    /** Every stage of {@code hook} on a host, by priority (an iptables chain before an nft one of equal priority). */
    static Stage[] of(Hook hook, Family f, Firewall fw, NftEngine nft) {
        List<Stage> out = new ArrayList<>();
        List<Stage> nat = new ArrayList<>();
        for (BuiltinChain b : BuiltinChain.on(hook)) {
            if (!fw.has(b)) continue;
            Stage s = new Stage(b.priority(), b.type(), b, null, null);
            (b.type() == ChainType.NAT ? nat : out).add(s);
        }
        if (nft != null) {
            for (NftEngine.Base b : nft.on(hook)) {
                Stage s = new Stage(b.priority, b.type, null, b, null);
                (b.type == ChainType.NAT ? nat : out).add(s);
            }
        }
        nat.sort(Comparator.comparingInt(s -> s.priority));
        int natPriority = hook == Hook.PREROUTING || hook == Hook.OUTPUT ? -100 : 100;
        if (hook != Hook.FORWARD) out.add(new Stage(natPriority, ChainType.NAT, null, null, nat.toArray(new Stage[0])));
        out.sort(Comparator.comparingInt(s -> s.priority));
        return out.toArray(new Stage[0]);
    }
}
