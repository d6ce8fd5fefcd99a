package dev.anyloop.state.nft;

import dev.anyloop.state.ChainType;
import dev.anyloop.state.Hook;
import java.util.List;
import java.util.Optional;

/** An nftables chain: a base chain (on a hook, with a type, priority and policy) or a regular one. */
public record NftChain(String name, Optional<Base> base, List<NftRule> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }

    /**
     * What makes a chain a base chain. {@code hook} is nft's word (ingress and egress exist too); {@code drop}
     * is a policy of drop (the default is accept).
     */
    public record Base(ChainType type, String hook, int priority, boolean drop, Optional<String> device) {
        /** The ip-stack hook, for the five of ip, ip6 and inet. */
        public Optional<Hook> inetHook() { return Hook.ofNft(hook); }
    }

    public static NftChain regular(String name, List<NftRule> rules) { return new NftChain(name, Optional.empty(), rules); }

    public static NftChain base(String name, ChainType type, Hook hook, int priority, boolean drop, List<NftRule> rules) {
        return new NftChain(name, Optional.of(new Base(type, hook.nft(), priority, drop, Optional.empty())), rules);
    }
}
