using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Knowledge;
using NewsBot.Enrichment;
using NewsBot.Model;

namespace NewsBot.Tests.Knowledge;

/// <summary>The LLM path against a loopback server that speaks the OpenAI chat completions API.</summary>
public sealed class LlmSummarizerTests : IAsyncDisposable
{
    private const string Text = """
        The city council approved a new tram line to the airport on Tuesday after a two-year debate over its cost.

        The tram line will link the airport with the central station and is expected to carry 40,000 passengers a day.

        Critics said the line would cost far more than the council's estimate. The council said the estimate included a reserve.
        """;

    private readonly FakeTimeProvider _time = new();
    private readonly List<JsonNode> _requests = [];
    private readonly TaskCompletionSource _requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ServiceProvider> _providers = [];
    private WebApplication? _server;
    private string _endpoint = "";
    private int _maxInput = 8000;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SummarizeAsync_ModelAnswers_ReturnsModelSentences()
    {
        var summarizer = await StartAsync(Answer("The council approved an airport tram line. It will carry 40,000 people a day."), maxInput: 500);

        var summary = await summarizer.SummarizeAsync(Text, new SummaryOptions { MaxSentences = 2, Title = "Tram approved" }, TestContext.Current.CancellationToken);

        Assert.Equal(["The council approved an airport tram line.", "It will carry 40,000 people a day."], summary.Sentences);
        Assert.Equal("en", summary.Language);
        var request = Assert.Single(_requests);
        Assert.Equal("test-model", (string?)request["model"]);
        var user = (string?)request["messages"]![1]!["content"];
        Assert.StartsWith("Title: Tram approved", user, StringComparison.Ordinal);
        Assert.True(user!.Length <= 500 + "Title: Tram approved\n\n".Length);
        Assert.NotNull(request["max_completion_tokens"] ?? request["max_tokens"]);
    }

    [Fact]
    public async Task SummarizeAsync_ModelAnswersTooMuch_KeepsSentenceAndCharacterLimits()
    {
        var summarizer = await StartAsync(Answer("One thing happened today. A second thing happened. A third thing happened."));

        var summary = await summarizer.SummarizeAsync(Text, new SummaryOptions { MaxSentences = 2, MaxCharacters = 30 }, TestContext.Current.CancellationToken);

        Assert.Equal(["One thing happened today."], summary.Sentences);
    }

    [Fact]
    public async Task SummarizeAsync_ServerError_FallsBackToExtractive()
    {
        var summarizer = await StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("""{"error":{"message":"boom","type":"server_error"}}""");
        });

        var summary = await summarizer.SummarizeAsync(Text, new SummaryOptions { MaxSentences = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(new Summarizer().Summarize(Text, new SummaryOptions { MaxSentences = 2 }).Sentences, summary.Sentences);
    }

    [Fact]
    public async Task SummarizeAsync_EmptyAnswer_FallsBackToExtractive()
    {
        var summarizer = await StartAsync(Answer("  "));

        var summary = await summarizer.SummarizeAsync(Text, new SummaryOptions { MaxSentences = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(new Summarizer().Summarize(Text, new SummaryOptions { MaxSentences = 2 }).Sentences, summary.Sentences);
    }

    [Fact]
    public async Task SummarizeAsync_ModelTooSlow_FallsBackWhenTimeoutPasses()
    {
        var summarizer = await StartAsync(async context =>
        {
            _requestArrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });

        var pending = summarizer.SummarizeAsync(Text, new SummaryOptions { MaxSentences = 2 }, TestContext.Current.CancellationToken);
        await _requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(61));
        var summary = await pending.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(new Summarizer().Summarize(Text, new SummaryOptions { MaxSentences = 2 }).Sentences, summary.Sentences);
    }

    [Fact]
    public async Task SummaryEnricher_LlmConfigured_UsesModelSummary()
    {
        await StartAsync(Answer("Council backs airport tram."));
        using var services = Services();
        using var scope = services.CreateScope();
        var draft = new ArticleDraft { Source = new Source { Url = "https://example.org/feed" }, DedupKey = "1", Title = "Tram approved", Text = Text };

        foreach (var enricher in scope.ServiceProvider.GetServices<IArticleEnricher>())
        {
            await enricher.EnrichAsync(draft, TestContext.Current.CancellationToken);
        }

        Assert.Equal("Council backs airport tram.", draft.Summary);
    }

    /// <summary>An OpenAI chat completion whose answer is <paramref name="content"/> (also used by the summary-language tests).</summary>
    internal static RequestDelegate Answer(string content) => context =>
    {
        context.Response.ContentType = "application/json";
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = "test-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
        return context.Response.WriteAsync(completion.ToJsonString());
    };

    private async Task<LlmSummarizer> StartAsync(RequestDelegate answer, int maxInput = 8000)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapPost("/v1/chat/completions", async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            lock (_requests)
            {
                _requests.Add(body!);
            }

            await answer(context);
        });
        await _server.StartAsync(TestContext.Current.CancellationToken);
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _endpoint = address + "/v1";
        _maxInput = maxInput;
        var services = Services();
        _providers.Add(services);
        return services.GetRequiredService<LlmSummarizer>();
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NewsBot:Knowledge:Llm:Endpoint"] = _endpoint,
            ["NewsBot:Knowledge:Llm:Model"] = "test-model",
            ["NewsBot:Knowledge:Llm:Timeout"] = "00:01:00",
            ["NewsBot:Knowledge:Llm:MaxInputCharacters"] = _maxInput.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(_time)
            .AddKnowledge()
            .BuildServiceProvider();
    }
}
