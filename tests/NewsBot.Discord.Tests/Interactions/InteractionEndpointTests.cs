using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Interactions;
using NSec.Cryptography;

namespace NewsBot.Discord.Tests.Interactions;

public sealed class InteractionEndpointTests
{
    [Fact]
    public async Task MapDiscordInteractions_PingCommandAndBadSignature_AnsweredPerDocs()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddDiscordClient(o => o.PublicKey = DiscordInteractionVerifierTests.PublicKeyHex(key));
        builder.Services.AddHttpClient("test");
        await using var app = builder.Build();
        app.MapDiscordInteractions("/interactions", (interaction, _) => Task.FromResult(
            InteractionResponse.Reply(new OutgoingMessage { Content = $"hi from {interaction.Data!.Name}", Flags = MessageFlags.Ephemeral })));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("test");

        async Task<HttpResponseMessage> PostAsync(string body, bool tamper = false)
        {
            var (signature, timestamp) = DiscordInteractionVerifierTests.Sign(key, body, DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));
            using var request = new HttpRequestMessage(HttpMethod.Post, address + "/interactions")
            {
                Content = new StringContent(tamper ? body + " " : body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add("X-Signature-Ed25519", signature);
            request.Headers.Add("X-Signature-Timestamp", timestamp);
            return await http.SendAsync(request, TestContext.Current.CancellationToken);
        }

        using var ping = await PostAsync("""{"type":1,"id":"1","application_id":"2","token":"t","version":1}""");
        using var command = await PostAsync("""{"type":2,"id":"3","application_id":"2","token":"t2","version":1,"data":{"id":"9","name":"latest","type":1}}""");
        using var tampered = await PostAsync("""{"type":2,"id":"4","application_id":"2","token":"t3","version":1}""", tamper: true);

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("application/json", ping.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"type":1}""", await ping.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var reply = JsonNode.Parse(await command.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(4, reply["type"]!.GetValue<int>());
        Assert.Equal("hi from latest", reply["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, reply["data"]!["flags"]!.GetValue<int>());
        Assert.Empty(reply["data"]!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
