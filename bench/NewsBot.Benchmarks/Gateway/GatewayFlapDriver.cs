using System.Diagnostics;
using NewsBot.Fakes.Discord;

namespace NewsBot.Benchmarks.Gateway;

/// <summary>The ways Discord ends a Gateway connection, applied in this order, round after round.</summary>
public enum GatewayFault
{
    /// <summary>TCP reset, no close frame (a network blip).</summary>
    Drop,
    Close1001,
    Close4000,
    Close4008,
    /// <summary>Session timed out: the one close code here that ends the session.</summary>
    Close4009,
    /// <summary>Op 7 Reconnect.</summary>
    Reconnect,
    /// <summary>Op 9 with d: true.</summary>
    InvalidSessionResumable,
    /// <summary>Op 9 with d: false: the session is gone.</summary>
    InvalidSessionNotResumable,
}

public sealed record GatewayFlapSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan DropEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Slash commands arrive at a random rate between these two, connected or not.</summary>
    public double MinInteractionsPerSecond { get; init; } = 2;

    public double MaxInteractionsPerSecond { get; init; } = 5;

    /// <summary>How often a new article is published to the subscribed channels (when a publish step is given).</summary>
    public TimeSpan PostEvery { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>After the run: how long the last answers and posts may take.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(60);

    public int Seed { get; init; } = 20_261_126;

    public static bool EndsSession(GatewayFault fault) => fault is GatewayFault.Close4009 or GatewayFault.InvalidSessionNotResumable;
}

/// <summary>What a flapping run saw, from the fake Discord's side; latencies in milliseconds.</summary>
public sealed record GatewayFlapReport(
    double DurationSeconds,
    double DropEverySeconds,
    int Drops,
    IReadOnlyDictionary<string, int> DropsByKind,
    int NonResumableDrops,
    int Connections,
    int Resumes,
    int Identifies,
    int ExpectedIdentifies,
    int InteractionsSent,
    int InteractionsReceived,
    int InteractionsLostWithSession,
    int InteractionsAnswered,
    int InteractionsDeferred,
    int DuplicateAnswers,
    double AnswerP50FromReceiptMs,
    double AnswerMaxFromReceiptMs,
    int AnsweredOver3sFromReceipt,
    double AnswerP50FromCreationMs,
    double AnswerP99FromCreationMs,
    double AnswerMaxFromCreationMs,
    int AnsweredOver3sFromCreation,
    int PostsExpected,
    int PostsReceived,
    int DuplicatePosts,
    IReadOnlyList<string> Problems)
{
    public string Verdict => Problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", Problems);
}

/// <summary>
/// Flaps the fake Discord Gateway under a connected bot: a fault every <see cref="GatewayFlapSettings.DropEvery"/>
/// (each kind of <see cref="GatewayFault"/> in turn), slash commands throughout (also while the bot is away: the fake
/// replays them on RESUME, or loses them with an ended session, as Discord does), and a post now and then.
/// The bot must resume after every resumable fault, identify only after the others, and answer every interaction
/// it received within Discord's 3 s. Used by the <c>gateway</c> bench verb and by the short flapping test.
/// One run per instance: it keeps that run's counts.
/// </summary>
public sealed class GatewayFlapDriver(FakeDiscordServer fake, GatewayFlapSettings settings)
{
    public const ulong GuildId = 700_000_000_000_000_101;
    public const ulong ChannelId = 710_000_000_000_000_101;
    private const ulong MemberId = 720_000_000_000_000_101;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    /// <summary>Op 9 false waits 1-5 s and identifies are 5 s apart: a bot not back within this is stuck.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    /// <summary>Read-only commands, so thousands of them leave the bot's state as it was.</summary>
    private static readonly string[] Commands = ["help", "sources", "status"];

    private readonly List<GatewayFault> _faults = [];
    private int _sent;
    private int _postsExpected;

    /// <summary>
    /// Runs the scenario. <paramref name="publishAsync"/> publishes one article and returns how many channel posts it
    /// should make (null: no posts). <paramref name="progress"/> gets a line per fault.
    /// </summary>
    public async Task<GatewayFlapReport> RunAsync(Func<CancellationToken, Task<int>>? publishAsync, TextWriter? progress, CancellationToken cancellationToken)
    {
        var gateway = fake.Gateway;
        var time = fake.Options.Time;
        await fake.Changed.WaitUntilAsync(() => gateway.IsSessionLive, "the first Gateway session", TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interactions = SendInteractionsAsync(time, stop.Token);
        var posts = publishAsync is null ? Task.CompletedTask : PublishAsync(publishAsync, time, stop.Token);
        try
        {
            for (var round = 1; settings.DropEvery * round < settings.Duration; round++)
            {
                var wait = (settings.DropEvery * round) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                // Each fault hits a live session, so every one of them must be recovered from on its own.
                try
                {
                    await fake.Changed.WaitUntilAsync(ClientIsBack, $"a live session before fault {round}", RecoveryLimit);
                }
                catch (TimeoutException ex)
                {
                    problems.Add(ex.Message);
                    break;
                }

                var fault = (GatewayFault)((round - 1) % Enum.GetValues<GatewayFault>().Length);
                await ApplyAsync(fault);
                _faults.Add(fault);
                progress?.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F1} s: {fault}; resumes {gateway.Resumes.Count}, identifies {gateway.Identifies.Count}, interactions {Volatile.Read(ref _sent)}, answered {fake.Callbacks.Count}");
            }

            var rest = settings.Duration - clock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(interactions, posts).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var duration = clock.Elapsed;
        try
        {
            await fake.Changed.WaitUntilAsync(() => gateway.IsSessionLive && Settled() && fake.Messages.Count >= Volatile.Read(ref _postsExpected),
                "the last answers and posts", settings.Drain);
        }
        catch (TimeoutException ex)
        {
            problems.Add(ex.Message);
        }

        return Report(duration, problems);
    }

    /// <summary>
    /// The current connection has a session and the bot answered an interaction sent on it, so it has read READY or
    /// RESUMED: a fault before that would catch a client that could not yet know its session.
    /// </summary>
    private bool ClientIsBack()
    {
        var gateway = fake.Gateway;
        if (!gateway.IsSessionLive)
        {
            return false;
        }

        var current = gateway.ConnectionUrls.Count;
        var answered = fake.Callbacks.Select(c => c.InteractionId).ToHashSet();
        return gateway.Interactions.Any(i => i.Connection == current && answered.Contains(i.Id));
    }

    /// <summary>Every interaction either answered or lost with its ended session; none still in flight.</summary>
    private bool Settled()
    {
        var answered = fake.Callbacks.Select(c => c.InteractionId).ToHashSet();
        return fake.Gateway.Interactions.All(i => answered.Contains(i.Id) || i.Lost);
    }

    private async Task ApplyAsync(GatewayFault fault)
    {
        var gateway = fake.Gateway;
        switch (fault)
        {
            case GatewayFault.Drop:
                gateway.Drop();
                break;
            case GatewayFault.Close1001:
                await gateway.CloseAsync(1001, "Discord WebSocket requesting client reconnect.");
                break;
            case GatewayFault.Close4000:
                await gateway.CloseAsync(4000, "Unknown error.");
                break;
            case GatewayFault.Close4008:
                await gateway.CloseAsync(4008, "Rate limited.");
                break;
            case GatewayFault.Close4009:
                await gateway.CloseAsync(4009, "Session timed out.");
                break;
            case GatewayFault.Reconnect:
                await gateway.SendReconnectAsync();
                break;
            case GatewayFault.InvalidSessionResumable:
                await gateway.SendInvalidSessionAsync(resumable: true);
                break;
            case GatewayFault.InvalidSessionNotResumable:
                await gateway.SendInvalidSessionAsync(resumable: false);
                break;
        }
    }

    private async Task SendInteractionsAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var random = new Random(settings.Seed);
        try
        {
            while (true)
            {
                var number = Interlocked.Increment(ref _sent);
                var interaction = FakeInteractions.SlashCommand(600_000_000_000_100_000UL + (ulong)number, Commands[number % Commands.Length],
                    fake.Options.ApplicationId, GuildId, ChannelId, MemberId);
                await fake.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
                var rate = settings.MinInteractionsPerSecond + (random.NextDouble() * (settings.MaxInteractionsPerSecond - settings.MinInteractionsPerSecond));
                await Task.Delay(TimeSpan.FromSeconds(1 / rate), time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private async Task PublishAsync(Func<CancellationToken, Task<int>> publishAsync, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(settings.PostEvery / 2, time, cancellationToken);
                Interlocked.Add(ref _postsExpected, await publishAsync(cancellationToken));
                await Task.Delay(settings.PostEvery / 2, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private GatewayFlapReport Report(TimeSpan duration, List<string> problems)
    {
        var gateway = fake.Gateway;
        var interactions = gateway.Interactions;
        var callbacks = fake.Callbacks.GroupBy(c => c.InteractionId).ToDictionary(g => g.Key, g => g.ToList());
        var received = interactions.Where(i => i.DeliveredAt is not null).ToList();
        var answered = received.Where(i => callbacks.ContainsKey(i.Id)).ToList();
        var fromReceipt = answered.Select(i => (callbacks[i.Id][0].ReceivedAt - i.DeliveredAt!.Value).TotalMilliseconds).Order().ToList();
        var fromCreation = answered.Select(i => (callbacks[i.Id][0].ReceivedAt - i.CreatedAt).TotalMilliseconds).Order().ToList();
        var nonResumable = _faults.Count(GatewayFlapSettings.EndsSession);
        var resumable = _faults.Count - nonResumable;
        var expectedIdentifies = 1 + nonResumable;
        var duplicateAnswers = callbacks.Values.Sum(c => c.Count - 1);
        var posts = fake.Messages;
        var distinctPosts = posts.Select(m => (m.ChannelId, m.Nonce)).Distinct().Count();

        if (_faults.Count == 0)
        {
            problems.Add("no fault applied");
        }

        if (gateway.Identifies.Count != expectedIdentifies)
        {
            problems.Add($"{gateway.Identifies.Count} identifies, expected {expectedIdentifies} (1 + sessions Discord ended)");
        }

        if (gateway.Resumes.Count < resumable)
        {
            problems.Add($"{gateway.Resumes.Count} resumes for {resumable} resumable faults");
        }

        if (answered.Count < received.Count)
        {
            problems.Add($"{received.Count - answered.Count} received interactions never answered");
        }

        if (duplicateAnswers > 0)
        {
            problems.Add($"{duplicateAnswers} interactions answered twice");
        }

        if (fromReceipt.Count(ms => ms > Deadline.TotalMilliseconds) is > 0 and var late)
        {
            problems.Add($"{late} answers later than 3 s after the bot received the interaction");
        }

        if (distinctPosts < _postsExpected || posts.Count != distinctPosts)
        {
            problems.Add($"{distinctPosts} distinct posts of {_postsExpected} expected, {posts.Count - distinctPosts} duplicates");
        }

        if (gateway.Errors.Count > 0 || fake.Violations.Count > 0)
        {
            problems.Add($"fake saw {gateway.Errors.Count} gateway errors and {fake.Violations.Count} protocol violations: {string.Join(" | ", gateway.Errors.Concat(fake.Violations).Take(3))}");
        }

        return new GatewayFlapReport(
            Round(duration.TotalSeconds),
            settings.DropEvery.TotalSeconds,
            _faults.Count,
            _faults.GroupBy(f => f.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            nonResumable,
            gateway.ConnectionUrls.Count,
            gateway.Resumes.Count,
            gateway.Identifies.Count,
            expectedIdentifies,
            interactions.Count,
            received.Count,
            interactions.Count(i => i.Lost),
            answered.Count,
            answered.Count(i => callbacks[i.Id][0].Body["type"]?.GetValue<int>() == 5),
            duplicateAnswers,
            Round(Percentile(fromReceipt, 0.5)),
            Round(fromReceipt.LastOrDefault()),
            fromReceipt.Count(ms => ms > Deadline.TotalMilliseconds),
            Round(Percentile(fromCreation, 0.5)),
            Round(Percentile(fromCreation, 0.99)),
            Round(fromCreation.LastOrDefault()),
            fromCreation.Count(ms => ms > Deadline.TotalMilliseconds),
            _postsExpected,
            distinctPosts,
            posts.Count - distinctPosts,
            problems);
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Round(double value) => Math.Round(value, 1);
}
