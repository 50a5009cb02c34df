using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Platforms.Discord;
using NewsBot.Tests.Knowledge;

namespace NewsBot.Tests.Publishing;

/// <summary>summary_language: posts' title and summary translated by the language model, the original title kept.</summary>
public sealed class SummaryLanguageTests : IAsyncDisposable
{
    private WebApplication? _model;
    private int _requests;
    private string? _systemPrompt;

    public async ValueTask DisposeAsync()
    {
        if (_model is not null)
        {
            await _model.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispatch_SummaryLanguageWithModel_PostsTranslationWithOriginalTitle_OneCallForManyChannels()
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StartModelAsync("Brücke wieder offen\nDie Brücke ist nach der Reparatur wieder offen."));
        var source = await bed.AddSourceAsync("news");
        var subscribed = await bed.RunAsync("subscribe news summary_language:de");
        await bed.RunAsync("subscribe news summary_language:de", channelId: "200");
        await bed.RunAsync("subscribe news", channelId: "300");
        await bed.PublishAsync(source, ("Bridge reopens", "The bridge is open again after repairs.", []));

        await bed.DispatchAsync();

        Assert.Contains("Summaries in Deutsch.", ReplyText.Of(subscribed), StringComparison.Ordinal);
        var posts = bed.Discord.Messages.ToDictionary(m => m.ChannelId, m => m.Post!);
        Assert.Equal("Brücke wieder offen", posts["100"].Title);
        Assert.Equal("Bridge reopens", posts["100"].OriginalTitle);
        Assert.Equal("Die Brücke ist nach der Reparatur wieder offen.", posts["100"].Summary);
        Assert.Equal((posts["100"].Title, posts["100"].Summary), (posts["200"].Title, posts["200"].Summary));
        Assert.Equal("Bridge reopens", posts["300"].Title);
        Assert.Null(posts["300"].OriginalTitle);
        Assert.Equal(1, _requests);
        Assert.Contains("into German", _systemPrompt, StringComparison.Ordinal);
        Assert.StartsWith("*Bridge reopens*\n\nDie Brücke", DiscordRenderer.RenderPost(posts["100"]).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_SummaryLanguageWithoutModel_SaysSoAndPostsTheOriginal()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("news");

        var reply = await bed.RunAsync("subscribe news summary_language:ja");
        await bed.PublishAsync(source, ("Bridge reopens", "The bridge is open again after repairs.", []));
        await bed.DispatchAsync();

        Assert.Contains("no language model is configured (NewsBot:Knowledge:Llm)", ReplyText.Of(reply), StringComparison.Ordinal);
        var post = Assert.Single(bed.Discord.Messages).Post!;
        Assert.Equal("Bridge reopens", post.Title);
        Assert.Null(post.OriginalTitle);
        Assert.Contains("summaries in 日本語", ReplyText.Of(await bed.RunAsync("subscriptions")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_UnknownSummaryLanguage_Refused()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.AddSourceAsync("news");

        var reply = await bed.RunAsync("subscribe news summary_language:klingon");

        Assert.True(reply.IsError);
        Assert.Contains("summary_language \"klingon\" is not a language code", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    /// <summary>A loopback server that answers the OpenAI chat completions API with <paramref name="answer"/>.</summary>
    private async Task<Dictionary<string, string?>> StartModelAsync(string answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _model = builder.Build();
        _model.MapPost("/v1/chat/completions", async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            Interlocked.Increment(ref _requests);
            _systemPrompt = (string?)body!["messages"]![0]!["content"];
            await LlmSummarizerTests.Answer(answer)(context);
        });
        await _model.StartAsync(TestContext.Current.CancellationToken);
        var address = _model.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new()
        {
            ["NewsBot:Knowledge:Llm:Endpoint"] = address + "/v1",
            ["NewsBot:Knowledge:Llm:Model"] = "test-model",
        };
    }
}
