using NewsBot.Model;

namespace NewsBot.Commands;

/// <summary>A platform-neutral answer: blocks each adapter renders within its limits.</summary>
public sealed record CommandReply(IReadOnlyList<ReplyBlock> Blocks)
{
    /// <summary>A refusal or a bad argument: platforms that can show it only to the user do so.</summary>
    public bool IsError { get; init; }

    /// <summary>Only the user who asked should see it (Discord ephemeral).</summary>
    public bool Private { get; init; }

    public static CommandReply Text(string text) => new([new ReplyParagraph(text)]);

    public static CommandReply Error(string text) => new([new ReplyParagraph(text)]) { IsError = true, Private = true };
}

public abstract record ReplyBlock;

public sealed record ReplyHeading(string Text) : ReplyBlock;

public sealed record ReplyParagraph(string Text) : ReplyBlock;

/// <summary>Lines, each optionally a link.</summary>
public sealed record ReplyList(IReadOnlyList<ReplyLine> Lines) : ReplyBlock;

public sealed record ReplyLine(string Text, string? Url = null, string? Detail = null);

/// <summary>Articles shown as short cards (title link, source, time, short id).</summary>
public sealed record ReplyArticles(IReadOnlyList<Post> Articles) : ReplyBlock;

/// <summary>One article in full: summary, topics, related links, also covered by.</summary>
public sealed record ReplyArticleDetail(Post Article) : ReplyBlock;

/// <summary>Preformatted text, e.g. an export; platforms may send it as a file named <paramref name="FileName"/>.</summary>
public sealed record ReplyCode(string Text, string? FileName = null) : ReplyBlock;

/// <summary>
/// An article laid out exactly as a subscription would post it (its template, format, mentions) in a channel of
/// time zone <paramref name="TimeZone"/>; adapters render it with their posting code. Mentions show but never ping.
/// </summary>
public sealed record ReplyPostPreview(Post Post, string TimeZone) : ReplyBlock;
