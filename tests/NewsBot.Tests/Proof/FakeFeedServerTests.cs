using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Fakes.Feeds;

namespace NewsBot.Tests.Proof;

/// <summary>The fake feed host behaves as the load and fault runs assume: conditional GETs, growth, faults.</summary>
public sealed class FakeFeedServerTests
{
    [Fact]
    public async Task Feed_ConditionalGetThenNewItem_NotModifiedThenNewContent()
    {
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 2 }, TestContext.Current.CancellationToken);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var first = await client.GetAsync(server.FeedUrl(0), TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag!.Tag;
        using var unchanged = await SendConditionalAsync(client, server.FeedUrl(0), etag);
        var item = server.AddItem(0);
        using var changed = await SendConditionalAsync(client, server.FeedUrl(0), etag);
        var body = await changed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains($"/items/0/{item}", body, StringComparison.Ordinal);
        Assert.True(server.TryGetAppearance(server.Url($"items/0/{item}"), out _));
        Assert.Equal(1, server.AddedItems);
    }

    [Fact]
    public async Task Feed_FaultyIndexes_AnswerTheirFault()
    {
        var options = new FakeFeedOptions { FeedCount = 4, ServerErrorEvery = 4, UnavailableEvery = 3, RetryAfter = TimeSpan.FromSeconds(90) };
        await using var server = await FakeFeedServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var unavailable = await client.GetAsync(server.FeedUrl(2), TestContext.Current.CancellationToken);
        using var failing = await client.GetAsync(server.FeedUrl(3), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90), unavailable.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
    }

    [Fact]
    public async Task Feed_SeveralLoopbackAddresses_ServesEachAndRecordsWhoAsked()
    {
        var options = new FakeFeedOptions { FeedCount = 3, LoopbackAddresses = 3, RecordRequests = true };
        await using var server = await FakeFeedServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient();

        foreach (var feed in new[] { 0, 1, 2 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.FeedUrl(feed, FakeFeedServer.LoopbackHost(feed)));
            request.Headers.UserAgent.ParseAdd($"proof/p{feed}");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Three hosts for a client's per-host gate, one server; the log says which host, which client, what answer.
        Assert.Equal(
            [(0, "127.0.0.1", "proof/p0", 200), (1, "127.0.0.2", "proof/p1", 200), (2, "127.0.0.3", "proof/p2", 200)],
            server.Requests.Select(r => (r.Feed, r.Host, r.UserAgent, r.Status)));
        Assert.All(server.Requests, r => Assert.True(r.EndedAt >= r.StartedAt));
    }

    private static async Task<HttpResponseMessage> SendConditionalAsync(HttpClient client, string url, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
