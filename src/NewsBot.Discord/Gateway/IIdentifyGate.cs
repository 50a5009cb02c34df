namespace NewsBot.Discord.Gateway;

/// <summary>
/// Decides when a shard may IDENTIFY. Discord allows one identify per rate-limit bucket
/// (<c>shard_id % max_concurrency</c>) per 5 s and <c>session_start_limit.total</c> a day; going over the daily
/// budget ends every session and resets the token (gateway doc, "Session Start Limit"). The in-process gate
/// (<see cref="InProcessIdentifyGate"/>) covers the shards of one process; a cluster replaces it with one that
/// coordinates every process of the bot.
/// </summary>
public interface IIdentifyGate
{
    /// <summary>
    /// Waits until <paramref name="shardId"/>'s bucket is free and a session start is left, and holds both for the
    /// caller: call <see cref="IIdentifyTurn.Identified"/> right after sending IDENTIFY, and dispose the turn in any
    /// case (a turn disposed without it gives the session start back).
    /// </summary>
    Task<IIdentifyTurn> WaitForTurnAsync(int shardId, CancellationToken cancellationToken);

    /// <summary>Set while the daily session start budget is spent; null otherwise.</summary>
    IdentifyBudgetSpent? BudgetSpent { get; }
}

/// <summary>A shard's turn to identify, from <see cref="IIdentifyGate.WaitForTurnAsync"/>.</summary>
public interface IIdentifyTurn : IAsyncDisposable
{
    /// <summary>IDENTIFY was sent now: the bucket's 5 s start here and the session start is spent.</summary>
    void Identified();
}

/// <summary>No session start is left of <paramref name="Total"/> a day; identifies wait until <paramref name="ResetAt"/>.</summary>
public sealed record IdentifyBudgetSpent(int Total, DateTimeOffset Since, DateTimeOffset ResetAt)
{
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Discord's session start budget ({Total} identifies a day) is spent; shards that must identify wait until {ResetAt:u}");
}

/// <summary>What every identify gate keeps to.</summary>
public static class IdentifyPacing
{
    /// <summary>Between two identifies of one bucket: Discord's 5 s plus a margin for the first one's travel.</summary>
    public static TimeSpan BucketInterval => GatewayPolicy.IdentifySpacing + GatewayPolicy.IdentifyArrivalMargin;

    /// <summary>Between two looks at a spent session start budget (reset_after may already be 0).</summary>
    public static TimeSpan SpentRecheck { get; } = TimeSpan.FromSeconds(5);
}
