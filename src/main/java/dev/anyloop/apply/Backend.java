package dev.anyloop.apply;

/** Which tool holds anyloop's firewall on a host: iptables/ip6tables chains, or one nft table. */
public enum Backend { IPTABLES, NFT }
