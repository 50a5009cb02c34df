using System.Text.Json;

namespace NewsBot.Discord.Wire;

/// <summary>{"code":N,"message":"...","errors":{...}}; errors is a tree keyed by JSON path ending in _errors.</summary>
public sealed record ErrorBody
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public JsonElement? Errors { get; init; }
}

/// <summary>429 body: retry_after in (fractional) seconds.</summary>
public sealed record RateLimitBody
{
    public string? Message { get; init; }
    public double RetryAfter { get; init; }
    public bool Global { get; init; }
    public int? Code { get; init; }
}
