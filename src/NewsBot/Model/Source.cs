namespace NewsBot.Model;

/// <summary>Whether to fetch the article page for full text.</summary>
public enum FullTextMode
{
    /// <summary>Fetch the page when the feed item carries only a teaser.</summary>
    Auto,
    Never,
    Always,
}

/// <summary>What a source URL points at.</summary>
public enum SourceKind
{
    Feed,
    /// <summary>A news index page without a feed: article links on it become items.</summary>
    Page,
}

/// <summary>A watched feed or page, with its polling state.</summary>
public sealed record Source
{
    public long Id { get; init; }
    public required string Url { get; init; }
    public string? Name { get; init; }
    public SourceKind Kind { get; init; } = SourceKind.Feed;
    public FullTextMode FullText { get; init; } = FullTextMode.Auto;
    /// <summary>For a page source: a regular expression the article links match; null = recognise them automatically.</summary>
    public string? LinkPattern { get; init; }
    /// <summary>True when the source comes from configuration (and may then be a local file).</summary>
    public bool FromConfig { get; init; }
    public bool Paused { get; init; }
    public string? Title { get; init; }
    public string? SiteUrl { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? LastPolledAt { get; init; }
    public DateTimeOffset NextPollAt { get; init; }
    public int ConsecutiveFailures { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    /// <summary>Set when the source was disabled after repeated failures; polling stops until resumed.</summary>
    public string? DisabledReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public string DisplayName => Name ?? Title ?? Url;
}
