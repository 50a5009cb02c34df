using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Tests.Feeds.Fetching;

public class AddressGuardTests
{
    private const string Rss = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>";

    /// <summary>TEST-NET-3 (RFC 5737): public by our rules, and never a real host.</summary>
    private static readonly IPAddress PretendPublic = IPAddress.Parse("203.0.113.7");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.8.8")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void IsPublic_SpecialAddress_IsFalse(string address) => Assert.False(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.167.1.1")]
    [InlineData("203.0.113.7")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:1.1.1.1")]
    [InlineData("64:ff9b::101:101")]
    public void IsPublic_PublicAddress_IsTrue(string address) => Assert.True(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task FetchAsync_LoopbackLiteral_IsBlockedBeforeAnyRequest()
    {
        var requests = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", () =>
        {
            Interlocked.Increment(ref requests);
            return Rss;
        }));
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/feed")), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal("fetch.blocked_address: 127.0.0.1", result.Error);
        Assert.Equal(0, requests);
    }

    [Fact]
    public async Task FetchAsync_LoopbackWithPrivateAddressesAllowed_Succeeds()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", () => Rss));
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = true);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/feed")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
    }

    [Theory]
    [InlineData("http://10.0.0.1/feed", "10.0.0.1")]
    [InlineData("http://192.168.0.10:8080/feed", "192.168.0.10")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::1]/feed", "::1")]
    [InlineData("http://[::ffff:127.0.0.1]/feed", "::ffff:127.0.0.1")]
    [InlineData("http://[fd00::5]/feed", "fd00::5")]
    [InlineData("http://0x7f000001/feed", "127.0.0.1")]
    public async Task FetchAsync_PrivateLiteral_IsBlocked(string url, string address)
    {
        var network = new SimulatedNetwork(new Dictionary<string, IPAddress[]>());
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false, network: network);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(url), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal($"fetch.blocked_address: {address}", result.Error);
        Assert.Empty(network.Connections);
    }

    [Fact]
    public async Task FetchAsync_LocalhostName_IsBlocked()
    {
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false);

        var result = await services.Fetcher().FetchAsync(new FetchRequest("http://localhost:9/feed"), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.StartsWith("fetch.blocked_address: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_NameWithOnePrivateAddressAmongPublicOnes_IsBlocked()
    {
        var network = new SimulatedNetwork(new Dictionary<string, IPAddress[]>
        {
            ["mixed.example"] = [PretendPublic, IPAddress.Parse("10.0.0.8")],
        });
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false, network: network);

        var result = await services.Fetcher().FetchAsync(new FetchRequest("http://mixed.example/feed"), Token);

        Assert.Equal("fetch.blocked_address: 10.0.0.8", result.Error);
        Assert.Empty(network.Connections);
    }

    [Fact]
    public async Task FetchAsync_PublicName_ConnectsToItsAddress()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", () => Rss));
        var network = new SimulatedNetwork(new Dictionary<string, IPAddress[]> { ["news.example"] = [PretendPublic] });
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false, network: network);

        var result = await services.Fetcher().FetchAsync(new FetchRequest($"http://news.example:{server.Port}/feed"), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new IPEndPoint(PretendPublic, server.Port), Assert.Single(network.Connections));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/secret", "127.0.0.1")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://internal.example:{port}/secret", "192.168.7.7")]
    public async Task FetchAsync_RedirectFromPublicHostToPrivateAddress_IsBlocked(string target, string address)
    {
        var secretRequests = 0;
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/feed", (HttpContext context) => Results.Redirect(target.Replace("{port}", $"{context.Connection.LocalPort}", StringComparison.Ordinal)));
            app.MapGet("/secret", () =>
            {
                Interlocked.Increment(ref secretRequests);
                return "secret";
            });
        });
        var network = new SimulatedNetwork(new Dictionary<string, IPAddress[]>
        {
            ["news.example"] = [PretendPublic],
            ["internal.example"] = [IPAddress.Parse("192.168.7.7")],
        });
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false, network: network);

        var result = await services.Fetcher().FetchAsync(new FetchRequest($"http://news.example:{server.Port}/feed"), Token);

        Assert.Equal($"fetch.blocked_address: {address}", result.Error);
        Assert.Equal(0, secretRequests);
    }

    [Fact]
    public async Task FetchAsync_UnknownName_FailsWithDns()
    {
        var network = new SimulatedNetwork(new Dictionary<string, IPAddress[]>());
        await using var services = FetchingTestServices.Create(options => options.AllowPrivateAddresses = false, network: network);

        var result = await services.Fetcher().FetchAsync(new FetchRequest("http://nowhere.example/feed"), Token);

        Assert.Equal("fetch.dns: nowhere.example: HostNotFound", result.Error);
    }
}
