package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.state.Address;
import dev.anyloop.state.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddrParserTest {
    private static final IpAddrParser.Parsed ROUTER = parse(Fixtures.real("router/ip-addr.json"));
    private static final IpAddrParser.Parsed DETAILS = parse(Fixtures.real("router-ip-addr-details.json"));

    private static IpAddrParser.Parsed parse(String json) {
        try {
            return IpAddrParser.parse("ip-addr.json", json);
        } catch (SnapshotException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        // name, kind without -d, kind with -d, up
        "lo,LOOPBACK,LOOPBACK,true",
        "va0,ETHER,ETHER,true",
        "dum0,ETHER,ETHER,true",
        "br0,ETHER,BRIDGE,true",   // operstate UNKNOWN (no ports) but UP,LOWER_UP
        "dum1,ETHER,ETHER,false",  // administratively up, peer down: NO-CARRIER, no LOWER_UP
        "dum1p,ETHER,ETHER,false", // down
    })
    void linksFromRealOutput(String name, Link.Kind plain, Link.Kind detailed, boolean up) {
        assertThat(ROUTER.links()).contains(new Link(name, plain, up));
        assertThat(DETAILS.links()).contains(new Link(name, detailed, up));
    }

    @ParameterizedTest
    @CsvSource({
        "lo,127.0.0.1/8,HOST", "lo,10.53.0.1/32,GLOBAL", "lo,fd00:53::1/128,GLOBAL", "lo,::1/128,HOST",
        "va0,192.168.50.1/24,GLOBAL", "va0,fd00:50::1/64,GLOBAL", "dum0,10.9.9.9/32,LINK", "dum0,172.16.9.1/24,GLOBAL",
        "br0,172.16.10.1/24,GLOBAL",
    })
    void addressesFromRealOutput(String dev, String addr, Address.Scope scope) {
        assertThat(ROUTER.addresses()).contains(new Address(dev, InterfaceAddress.parse(addr), scope));
    }

    @Test
    void everyAddressOfTheRealOutputIsRead() {
        assertThat(ROUTER.links()).extracting(Link::name).containsExactly("lo", "va0", "dum0p", "dum0", "br0", "dum1p", "dum1");
        // 4 on lo, 3 on va0, 1 on dum0p, 3 on dum0, 2 on br0
        assertThat(ROUTER.addresses()).hasSize(13);
        assertThat(ROUTER.addresses().stream().filter(a -> a.address().ip().isLinkLocal())).allMatch(a -> a.scope() == Address.Scope.LINK);
    }

    @Test
    void blankOutputIsNoLinks() throws SnapshotException {
        assertThat(IpAddrParser.parse("ip-addr.json", "").links()).isEmpty();
        assertThat(IpAddrParser.parse("ip-addr.json", "[]").links()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|ip-addr.json: expected an array, found an object",
        "[{\"flags\":[]}]|ip-addr.json: [0].ifname: expected a value, found none",
        "[{\"ifname\":5}]|ip-addr.json: [0].ifname: expected a string, found number 5",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet9\"}]}]|ip-addr.json: [0].addr_info[0].family: expected inet or inet6, found 'inet9'",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"fd00::1\",\"prefixlen\":8,\"scope\":\"host\"}]}]|[0].addr_info[0].local: expected an ipv4 address",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.300\",\"prefixlen\":8,\"scope\":\"host\"}]}]|[0].addr_info[0].local: expected an IP address, found '10.0.0.300'",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.1\",\"prefixlen\":33,\"scope\":\"host\"}]}]|[0].addr_info[0].prefixlen: expected a length 0-32, found 33",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.1\",\"prefixlen\":8,\"scope\":\"site\"}]}]|[0].addr_info[0].scope: expected global, link or host, found 'site'",
        "[{\"ifname\":\"a\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.0.1\",\"scope\":\"host\"}]}]|[0].addr_info[0].prefixlen: expected a value, found none",
        "[{\"ifname\"|ip-addr.json: expected JSON, found a syntax error at line 1",
    })
    void errorsNameTheJsonPath(String json, String message) {
        assertThatThrownBy(() -> IpAddrParser.parse("ip-addr.json", json)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message);
    }
}
