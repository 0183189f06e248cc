using System.Net;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Sources;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Ingestion;

/// <summary>Which addresses ingestion refuses, in every spelling, and how the allow-list lifts the rule.</summary>
public sealed class OutboundHttpAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.10", "private")]
    [InlineData("100.64.0.1", "private (carrier-grade NAT)")]
    [InlineData("100.127.255.254", "private (carrier-grade NAT)")]
    [InlineData("fd12:3456::1", "private (unique-local)")]
    [InlineData("fc00::1", "private (unique-local)")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    public void RefusedKind_OwnNetworkAddress_NamesTheKind(string address, string kind) =>
        Assert.Equal(kind, OutboundHttpAddresses.RefusedKind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void RefusedKind_PublicAddress_IsNull(string address) =>
        Assert.Null(OutboundHttpAddresses.RefusedKind(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("10.0.1", "10.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("169.254.169.254.", "169.254.169.254")]
    public void ParseLiteral_EverySpellingOfAnAddress_IsThatAddress(string host, string address) =>
        Assert.Equal(IPAddress.Parse(address), OutboundHttpAddresses.ParseLiteral(host));

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("09.1.1.1")]
    public void ParseLiteral_HostName_IsNull(string host) => Assert.Null(OutboundHttpAddresses.ParseLiteral(host));

    [Fact]
    public void Check_HostNamedInAllowList_MayBePrivate_OtherHostsMayNot()
    {
        var rules = new OutboundHttpRules(Options.Create(new IngestionOptions { AllowedHttpHosts = ["10.0.0.5", "localhost"] }));

        rules.Check("http://10.0.0.5/x.json");
        rules.CheckAddresses("localhost", [IPAddress.Loopback]);
        var error = Assert.Throws<DruidException>(() => rules.Check("http://10.0.0.6/x.json"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Http input host [10.0.0.6] is not in Ingestion:AllowedHttpHosts [10.0.0.5, localhost].", error.Message);
    }

    [Fact]
    public void Check_LoopbackWithoutAllowList_Is400NamingHostAddressAndRule()
    {
        var rules = new OutboundHttpRules(Options.Create(new IngestionOptions()));

        var error = Assert.Throws<DruidException>(() => rules.Check("http://127.0.0.1:8081/status"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Http input host [127.0.0.1] resolves to loopback address [127.0.0.1], which ingestion may not read " +
            "(Ingestion:AllowedHttpHosts names the hosts that may be private).", error.Message);
    }
}
