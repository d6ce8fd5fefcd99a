#!/bin/bash
# Builds two namespaces snapcap-a and snapcap-b joined by a veth, configures everything the parsers support.
set -ex
A=snapcap-a; B=snapcap-b
ip netns add $A; ip netns add $B
ip link add va0 netns $A type veth peer name vb0 netns $B
ia() { ip -n $A "$@"; }
ib() { ip -n $B "$@"; }
ia link set lo up; ib link set lo up
ia link set va0 up; ib link set vb0 up
ia link add dum0 type veth peer name dum0p; ia link set dum0 up; ia link set dum0p up
ia link add br0 type bridge; ia link set br0 up
ia link add dum1 type veth peer name dum1p   # stays down
ia addr add 192.168.50.1/24 dev va0
ib addr add 192.168.50.2/24 dev vb0
ia addr add fd00:50::1/64 dev va0 nodad
ib addr add fd00:50::2/64 dev vb0 nodad
ia addr add 10.53.0.1/32 dev lo
ia addr add fd00:53::1/128 dev lo
ia addr add 172.16.9.1/24 dev dum0
ia addr add 172.16.10.1/24 dev br0
ia addr add 10.9.9.9/32 dev dum0 scope link
# routes
ia route add 10.1.1.0/24 via 192.168.50.2 dev va0 metric 5 proto 77
ia route add 10.1.2.1 via 192.168.50.2 src 10.53.0.1 proto static
ia route add 10.1.3.0/24 table 100 via 192.168.50.2 proto 77 metric 1
ia route add 10.1.3.0/24 table 100 via 192.168.50.2 proto 77 metric 2
ia route add 10.1.4.0/24 nexthop via 192.168.50.2 dev va0 weight 1 nexthop via 172.16.9.2 dev dum0 weight 3
ia route add blackhole 10.66.0.0/16
ia route add unreachable 10.67.0.0/16 metric 10
ia route add prohibit 10.68.0.0/16
ia route add default via 192.168.50.2 proto boot
ia -6 route add fd00:60::/64 via fd00:50::2 metric 7 proto 77
ia -6 route add default via fd00:50::2 table 100
ia -6 route add fd00:61::/64 nexthop via fd00:50::2 dev va0 weight 2 nexthop via fd00:50::3 dev va0 weight 1
ia -6 route add blackhole fd00:66::/48
ia -6 route add unreachable fd00:67::/48
# rules
ia rule add from 10.53.0.0/24 lookup 100 priority 100
ia rule add to 10.1.3.0/24 iif va0 lookup 100 priority 101
ia rule add fwmark 0x7 lookup main priority 102
ia rule add not from 10.0.0.0/8 oif dum0 lookup 100 priority 103
ia rule add from 10.70.0.0/16 blackhole priority 104
ia rule add from 10.71.0.0/16 unreachable priority 105
ia rule add from 10.72.0.0/16 prohibit priority 106
ia rule add fwmark 0x10/0xff lookup 100 priority 107
ia -6 rule add from fd00:53::/64 lookup 100 priority 100
ia -6 rule add to fd00:60::/64 blackhole priority 101
# sysctls
ip netns exec $A sysctl -qw net.ipv4.ip_forward=1
ip netns exec $A sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec $A sysctl -qw net.ipv4.conf.all.rp_filter=2
ip netns exec $A sysctl -qw net.ipv4.conf.va0.rp_filter=1
ip netns exec $A sysctl -qw net.ipv4.conf.va0.route_localnet=1
