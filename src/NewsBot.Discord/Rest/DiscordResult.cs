using System.Diagnostics.CodeAnalysis;

namespace NewsBot.Discord.Rest;

public enum DiscordErrorKind
{
    /// <summary>Network trouble or 5xx: try again later.</summary>
    Transient,

    /// <summary>429 that outlived our retries, slowmode/write limits, or our own invalid-request guard.</summary>
    RateLimited,

    /// <summary>Channel, guild or webhook gone, or access/permissions missing: stop using it.</summary>
    Permanent,

    /// <summary>401: the token is invalid; the client refuses every further request.</summary>
    Unauthorized,

    /// <summary>400-class answer caused by our request: a bug, never retried.</summary>
    Invalid,
}

/// <summary>An expected Discord failure. Reason is a stable code such as "discord.unknown_channel".</summary>
public sealed record DiscordError(
    DiscordErrorKind Kind,
    string Reason,
    string Message,
    int? HttpStatus = null,
    int? Code = null,
    TimeSpan? RetryAfter = null)
{
    public override string ToString()
    {
        var status = HttpStatus is { } s ? $" HTTP {s}" : "";
        var code = Code is { } c ? $" code {c}" : "";
        return $"{Reason}: {Message}{(status.Length + code.Length > 0 ? $" ({(status + code).Trim()})" : "")}";
    }
}

/// <summary>Either a value or a <see cref="DiscordError"/>.</summary>
public readonly record struct DiscordResult<T>
{
    private DiscordResult(T? value, DiscordError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public DiscordError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static DiscordResult<T> Success(T value) => new(value, null);

    public static DiscordResult<T> Failure(DiscordError error) => new(default, error);

    public static implicit operator DiscordResult<T>(DiscordError error) => Failure(error);
}

/// <summary>Value of a successful request whose answer has no body (204).</summary>
public sealed record NoContent
{
    public static NoContent Instance { get; } = new();
}
