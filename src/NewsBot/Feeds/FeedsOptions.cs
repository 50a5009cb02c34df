using System.ComponentModel.DataAnnotations;

namespace NewsBot.Feeds;

/// <summary>The "NewsBot:Feeds" section: what to watch and how politely.</summary>
public sealed class FeedsOptions
{
    public const string Section = "NewsBot:Feeds";

    /// <summary>Sources from configuration: file paths (relative to the config folder) or http(s) URLs.</summary>
    public List<ConfiguredSource> Sources { get; set; } = [];

    /// <summary>Default time between two polls of a source.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "NewsBot:Feeds:PollInterval must be between 00:00:01 and 7.00:00:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A feed's own TTL or Cache-Control may stretch the interval, but never below this…</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "NewsBot:Feeds:MinPollInterval must be between 00:00:01 and 7.00:00:00.")]
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>…and never above this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "NewsBot:Feeds:MaxPollInterval must be between 00:00:01 and 30.00:00:00.")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromHours(6);

    [Range(1, 64, ErrorMessage = "NewsBot:Feeds:MaxParallelFetches must be between 1 and 64.")]
    public int MaxParallelFetches { get; set; } = 8;

    /// <summary>After this many failures in a row a source is disabled and its channels' admins are told.</summary>
    [Range(1, 1000, ErrorMessage = "NewsBot:Feeds:MaxConsecutiveFailures must be between 1 and 1000.")]
    public int MaxConsecutiveFailures { get; set; } = 10;

    [Required(AllowEmptyStrings = false, ErrorMessage = "NewsBot:Feeds:UserAgent must not be empty.")]
    public string UserAgent { get; set; } = "NewsBot/1.0 (+https://github.com/newsbot; self-hosted news bot)";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "NewsBot:Feeds:Timeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "NewsBot:Feeds:ConnectTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest body accepted, counted after decompression.</summary>
    [Range(1024, 1024L * 1024 * 1024, ErrorMessage = "NewsBot:Feeds:MaxBytes must be between 1024 and 1073741824.")]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    [Range(0, 20, ErrorMessage = "NewsBot:Feeds:MaxRedirects must be between 0 and 20.")]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Allow sources on loopback, private, link-local or metadata addresses (off: SSRF guard).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>A new source's first poll, or a new subscription, posts at most this many of the newest items.</summary>
    [Range(0, 100, ErrorMessage = "NewsBot:Feeds:BackfillCount must be between 0 and 100.")]
    public int BackfillCount { get; set; } = 10;
}

public sealed class ConfiguredSource
{
    [Required(AllowEmptyStrings = false, ErrorMessage = "NewsBot:Feeds:Sources:N:Url must be set.")]
    public string Url { get; set; } = "";

    public string? Name { get; set; }

    public string FullText { get; set; } = "auto";

    /// <summary>"feed", or "page": a news index page without a feed whose article links become items.</summary>
    public string Kind { get; set; } = "feed";

    /// <summary>For a page source: a regular expression the article links match (default: recognised automatically).</summary>
    public string? LinkPattern { get; set; }
}
