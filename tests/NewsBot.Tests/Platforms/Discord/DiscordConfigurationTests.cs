using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Hosting;
using NewsBot.Publishing;
using NewsBot.Tests.TestSupport;
using NSec.Cryptography;

namespace NewsBot.Tests.Platforms.Discord;

public sealed class DiscordConfigurationTests
{
    [Theory]
    [InlineData("NewsBot:Discord:PostingMode", "carrier-pigeon", "NewsBot:Discord:PostingMode")]
    [InlineData("NewsBot:Discord:ApiBaseUrl", "discord.com/api", "NewsBot:Discord:ApiBaseUrl")]
    [InlineData("NewsBot:Discord:ShardCount", "0", "NewsBot:Discord:ShardCount")]
    [InlineData("NewsBot:Discord:Shards", "0-8/8", "NewsBot:Discord:Shards = \"0-8/8\" names shard 8")]
    [InlineData("NewsBot:Discord:Shards", "0-3", "NewsBot:Discord:Shards = \"0-3\" is not a shard set")]
    [InlineData("NewsBot:Discord:ShardId", "1", "NewsBot:Discord:ShardId is replaced by NewsBot:Discord:Shards: write \"1/<shard count>\"")]
    [InlineData("NewsBot:Discord:InteractionsEndpoint", "/discord/interactions", "NewsBot:Discord:PublicKey")]
    [InlineData("NewsBot:Discord:InteractionsEndpoint", "discord interactions", "NewsBot:Discord:InteractionsEndpoint")]
    public async Task Start_BadDiscordSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?> { ["NewsBot:Discord:Token"] = "a-valid-looking-token", [key] = value };
        using var host = TestHosts.Build(folder, settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, string.Join(" ", error.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("a-valid-looking-token", string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ShardsDisagreeWithShardCount_FailsNamingBoth()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = "a-valid-looking-token",
            ["NewsBot:Discord:Shards"] = "0-3/8",
            ["NewsBot:Discord:ShardCount"] = "4",
        };
        using var host = TestHosts.Build(folder, settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var message = Assert.Single(error.Failures);
        Assert.Contains("NewsBot:Discord:Shards", message, StringComparison.Ordinal);
        Assert.Contains("NewsBot:Discord:ShardCount is 4", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoToken_NoDiscordPublisher()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        Assert.DoesNotContain(host.Services.GetServices<IPlatformPublisher>(), p => p.Platform == Model.Platform.Discord);
    }

    [Fact]
    public async Task InteractionsEndpoint_SignedRequests_AnsweredInline()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        await using var bot = await DiscordBotHarness.StartAsync(new()
        {
            ["NewsBot:Http:Urls"] = "http://127.0.0.1:0",
            ["NewsBot:Discord:InteractionsEndpoint"] = "/discord/interactions",
            ["NewsBot:Discord:PublicKey"] = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
        });
        var url = bot.Get<HttpEndpointService>().Addresses[0] + "/discord/interactions";
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var ping = await http.SendAsync(Signed(key, url, new JsonObject { ["id"] = "1", ["application_id"] = "2", ["type"] = 1, ["token"] = "t", ["version"] = 1 }), TestContext.Current.CancellationToken);
        Assert.Equal(1, JsonNode.Parse(await ping.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["type"]!.GetValue<int>());

        var help = DiscordBotHarness.Interaction(5, 2, "help", null, DiscordBotHarness.Admin, DiscordBotHarness.CanPost, DiscordBotHarness.ChannelId, focused: null);
        using var answer = await http.SendAsync(Signed(key, url, help), TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Contains("subscribe", body["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);

        using var forged = Signed(key, url, help);
        forged.Content = new StringContent(help.ToJsonString().Replace("help", "export", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        using var refused = await http.SendAsync(forged, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static HttpRequestMessage Signed(Key key, string url, JsonObject interaction)
    {
        var body = interaction.ToJsonString();
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + body));
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexStringLower(signature));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return request;
    }
}
