using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Publishing;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Posts to Telegram chats as HTML (every feed string escaped by <see cref="TelegramRenderer"/>). A post longer
/// than one message goes out as several, in order; only the first may show a link preview. Failures become
/// <see cref="PublishResult"/>s through <see cref="TelegramErrorClassifier"/>.
/// </summary>
public sealed partial class TelegramPublisher(TelegramBot bot, PostTemplateRenderer templates, TimeProvider time, IOptions<TelegramOptions> options, ILogger<TelegramPublisher> logger) : IPlatformPublisher
{
    /// <summary>While the token is refused, posts stay in the outbox for when NewsBot restarts with a good one.</summary>
    private static readonly TimeSpan StoppedRetry = TimeSpan.FromHours(1);

    /// <summary>A later part of a split post is retried this often after a 429: its first part is already in the chat.</summary>
    private const int ContinuationAttempts = 3;

    private readonly TelegramSendWindow _window = new(options.Value.GlobalMessagesPerSecond, TimeSpan.FromSeconds(1), time);

    public Platform Platform => Platform.Telegram;

    private readonly RateLimit _chatLimit = new(options.Value.ChatBurst, options.Value.ChatWindow);
    private readonly RateLimit _groupLimit = new(options.Value.GroupMessagesPerMinute, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Deliveries take nine tenths of the global budget: command replies are messages too and count against the same
    /// limit, so a fan-out at the full rate would meet a 429 with every reply typed meanwhile.
    /// </summary>
    public RateLimit? GlobalLimit { get; } = new(options.Value.GlobalMessagesPerSecond - ReplyReserve(options.Value.GlobalMessagesPerSecond), TimeSpan.FromSeconds(1));

    /// <summary>The part of the global budget kept for replies: a tenth, at least one message when the budget allows it.</summary>
    internal static int ReplyReserve(int globalPerSecond) => globalPerSecond > 1 ? Math.Max(1, globalPerSecond / 10) : 0;

    /// <summary>
    /// Groups and supergroups (negative chat ids, Bot API "Chat") take 20 messages a minute; other chats about one a
    /// second with short bursts (Bot FAQ, "broadcasting to users").
    /// </summary>
    public RateLimit? ChannelLimit(Channel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.ExternalId.StartsWith('-') ? _groupLimit : _chatLimit;
    }

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(channel);
        return SendAsync(channel, Compose(post, channel), new SendOptions(PreviewOf(post), post.Silent), cancellationToken);
    }

    /// <summary>The messages of a post: its template's HTML when it has one that renders, else the built-in layout.</summary>
    public IReadOnlyList<string> Compose(Post post, Channel channel) =>
        templates.RenderForPost(post.Template?.Text, post, channel.TimeZone, TelegramTemplateEncoder.Instance, TelegramRenderer.MaxMessageLength) is { } templated
            ? [templated]
            : TelegramRenderer.RenderPost(post, ChannelTexts.Of(channel));

    /// <summary>
    /// The article's link preview (Bot API link_preview_options): of the article page, whose card Telegram builds from
    /// the page's own picture and title, or of the picture itself when the post has no link. Large media in both
    /// formats; a full post shows it above the text like a news card, a compact post keeps its one line first.
    /// </summary>
    internal static LinkPreviewOptions? PreviewOf(Post post)
    {
        if (!post.LinkPreview)
        {
            return NoPreview;
        }

        var url = WebUrl(post.Url) ?? WebUrl(post.ImageUrl);
        return url is null
            ? null
            : new LinkPreviewOptions { Url = url, PreferLargeMedia = true, ShowAboveText = post.Format == PostFormat.Full };
    }

    private static string? WebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? url : null;

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        // A digest lists many links; a preview of the first would stand for all of them.
        return SendAsync(channel, TelegramRenderer.RenderDigest(digest), new SendOptions(NoPreview, digest.Items.Count > 0 && digest.Items.All(i => i.Silent)), cancellationToken);
    }

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) =>
        SendAsync(channel, TelegramRenderer.RenderBlocks([new TelegramRenderer.Block.Line(text)]), new SendOptions(NoPreview, Silent: false), cancellationToken);

    private static LinkPreviewOptions NoPreview => new() { IsDisabled = true };

    /// <summary>Sends the messages in order. The first decides the result; later ones wait out 429s because a retry of the whole post would repeat the first.</summary>
    internal Task<PublishResult> SendAsync(Channel channel, IReadOnlyList<string> messages, SendOptions send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return SendAsync(channel.ExternalId, channel.ThreadId, messages, send, cancellationToken);
    }

    /// <summary>Sends the messages in order to a chat (and forum topic); command replies use it too.</summary>
    internal async Task<PublishResult> SendAsync(string externalId, string? threadId, IReadOnlyList<string> messages, SendOptions send, CancellationToken cancellationToken)
    {
        if (bot.IsStopped)
        {
            return PublishResult.Retry("telegram.unauthorized", StoppedRetry);
        }

        var chatId = ChatIdOf(externalId);
        var thread = ThreadIdOf(threadId);
        string? firstId = null;
        for (var part = 0; part < messages.Count; part++)
        {
            var attempt = 0;
            while (true)
            {
                try
                {
                    var sent = await _window.RunAsync(() => bot.Client.SendMessage(
                        chatId: chatId,
                        text: messages[part],
                        parseMode: ParseMode.Html,
                        linkPreviewOptions: part == 0 ? send.Preview : NoPreview,
                        messageThreadId: thread,
                        replyParameters: part == 0 && send.ReplyTo is { } replyTo ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true } : null,
                        disableNotification: send.Silent,
                        cancellationToken: cancellationToken), cancellationToken);
                    firstId ??= sent.MessageId.ToString(CultureInfo.InvariantCulture);
                    break;
                }
                catch (RequestException ex)
                {
                    var error = bot.Classify(ex);
                    attempt++;
                    // A 429 on the first part is waited out here once, as Telegram asks, not through the outbox's longer
                    // backoff. A later part also rides out short outages: a retry of the whole post would repeat the first.
                    var waitHere = part == 0
                        ? error.Kind == TelegramErrorKind.RateLimited && attempt == 1
                        : error.Kind is TelegramErrorKind.RateLimited or TelegramErrorKind.Transient && attempt < ContinuationAttempts;
                    if (waitHere)
                    {
                        await Task.Delay(error.RetryAfter ?? TimeSpan.FromSeconds(attempt), time, cancellationToken);
                        continue;
                    }

                    if (part == 0)
                    {
                        return ToResult(error);
                    }

                    // The post is partly in the chat; sending it again would repeat that part. Keep what landed.
                    LogPartLost(logger, externalId, part + 1, messages.Count, error.Reason);
                    return PublishResult.Sent(firstId!);
                }
            }
        }

        return PublishResult.Sent(firstId ?? "");
    }

    /// <summary>Rejected (bad HTML, too long) is our bug with this one message, never the chat's fault: it fails alone, the chat stays.</summary>
    private static PublishResult ToResult(TelegramError error) => error.Kind switch
    {
        TelegramErrorKind.Permanent => PublishResult.Permanent(error.Reason),
        TelegramErrorKind.Rejected => PublishResult.Failed(error.Reason),
        TelegramErrorKind.Migrated when error.MigrateToChatId is { } newId => PublishResult.Moved(newId.ToString(CultureInfo.InvariantCulture)),
        TelegramErrorKind.Unauthorized => PublishResult.Retry(error.Reason, StoppedRetry),
        _ => PublishResult.Retry(error.Reason, error.RetryAfter),
    };

    /// <summary>Chat ids are numbers; public channels may also be named "@username".</summary>
    internal static ChatId ChatIdOf(string externalId) =>
        long.TryParse(externalId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(externalId);

    internal static int? ThreadIdOf(string? threadId) =>
        int.TryParse(threadId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <param name="ReplyTo">A message the first part answers (command replies in groups).</param>
    internal sealed record SendOptions(LinkPreviewOptions? Preview, bool Silent, int? ReplyTo = null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram chat {ChannelId}: part {Part} of {Parts} could not be sent ({Reason}); the earlier parts stay")]
    private static partial void LogPartLost(ILogger logger, string channelId, int part, int parts, string reason);
}
