using System.ComponentModel.DataAnnotations;

namespace NewsBot.Publishing;

/// <summary>The "NewsBot:Publishing" section: how the outbox is drained.</summary>
public sealed class PublishingOptions
{
    public const string Section = "NewsBot:Publishing";

    [Range(1, 100, ErrorMessage = "NewsBot:Publishing:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 12;

    [Range(1, 64, ErrorMessage = "NewsBot:Publishing:MaxConcurrentSends must be between 1 and 64.")]
    public int MaxConcurrentSends { get; set; } = 16;

    [Range(1, 10000, ErrorMessage = "NewsBot:Publishing:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>First retry delay; doubles per attempt (with jitter) up to MaxRetryDelay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "NewsBot:Publishing:RetryDelay must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "NewsBot:Publishing:MaxRetryDelay must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a process's claim on a channel's deliveries lasts without renewal (renewed every third of it while the
    /// process sends): after a crash, another process sends the channel's rows once it ran out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = "NewsBot:Publishing:ClaimLease must be between 00:00:03 and 01:00:00.")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);
}
