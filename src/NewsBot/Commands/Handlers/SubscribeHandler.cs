using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using NewsBot.Feeds;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SubscribeHandler(
    SubscriptionTargets targets,
    ISubscriptionStore subscriptions,
    IArticleStore articles,
    IDeliveryPlanner planner,
    DeliverySignal deliverySignal,
    PostTemplateRenderer templates,
    SummaryTranslator translator,
    SubscriptionMatcher matcher,
    PostLoader posts,
    IOptions<FeedsOptions> feedOptions) : ICommandHandler
{
    /// <summary>How far back a preview looks for an article the filters let through.</summary>
    private const int PreviewCandidates = 200;

    /// <summary>The longest text part either platform takes (Discord embed description, Telegram message).</summary>
    private const int PreviewTextLimit = 4096;

    public string Name => "subscribe";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var (target, label, error) = await targets.ParseAsync(context.Channel.Id, context.String("target")!, texts, cancellationToken);
        if (target is null)
        {
            return CommandReply.Error(error!);
        }

        var include = Filters(context.String("include"));
        var exclude = Filters(context.String("exclude"));
        if (include.Concat(exclude).Select(SubscriptionMatcher.Validate).FirstOrDefault(e => e is not null) is { } filterError)
        {
            return CommandReply.Error(texts.Format("Subscribe.BadFilter", filterError));
        }

        var (template, templateError) = Template(context);
        if (templateError is not null)
        {
            return CommandReply.Error(texts.Format("Subscribe.BadTemplate", templateError));
        }

        var (roles, rolesError) = MentionRoles(context);
        if (rolesError is not null)
        {
            return CommandReply.Error(rolesError);
        }

        var (summaryLanguage, summaryLanguageError) = SummaryLanguage(context);
        if (summaryLanguageError is not null)
        {
            return CommandReply.Error(summaryLanguageError);
        }

        var wanted = target with
        {
            Include = include,
            Exclude = exclude,
            ShowSummary = context.Boolean("summary") ?? true,
            RelatedCount = context.Integer("related") ?? 3,
            Format = Enum.Parse<PostFormat>(context.String("format") ?? "full", ignoreCase: true),
            Digest = Enum.Parse<DigestMode>(context.String("digest") ?? "off", ignoreCase: true),
            Silent = context.Boolean("silent") ?? false,
            Template = template,
            MentionRoleIds = roles,
            SummaryLanguage = summaryLanguage?.Name,
        };
        if (context.Boolean("preview") == true)
        {
            return await PreviewAsync(context, wanted, label!, cancellationToken);
        }

        var (subscription, created) = await subscriptions.UpsertAsync(wanted, cancellationToken);
        templates.Forget(subscription.Id);

        var backfilled = created ? await planner.BackfillAsync(subscription, feedOptions.Value.BackfillCount, cancellationToken) : 0;
        if (backfilled > 0)
        {
            deliverySignal.Notify();
        }

        var sentences = new List<string> { texts.Format(created ? "Subscribe.Created" : "Subscribe.Updated", ChannelOption.Describe(context), label) };
        if (include.Count > 0)
        {
            sentences.Add(texts.Format("Subscribe.OnlyWith", string.Join(", ", include)));
        }

        if (exclude.Count > 0)
        {
            sentences.Add(texts.Format("Subscribe.NeverWith", string.Join(", ", exclude)));
        }

        if (summaryLanguage is not null)
        {
            sentences.Add(translator.IsEnabled ? texts.Format("Subscribe.SummaryLanguage", summaryLanguage.NativeName) : texts["Subscribe.NoModel"]);
        }

        if (backfilled > 0)
        {
            sentences.Add(texts.Format("Subscribe.Backfill", backfilled));
        }

        return CommandReply.Text(string.Join(" ", sentences)) with { Private = true };
    }

    /// <summary>
    /// The newest stored article the subscription would get, laid out as it would be posted there, for the admin
    /// alone: nothing is stored and nothing is sent to the channel. Mentions show but do not ping.
    /// </summary>
    private async Task<CommandReply> PreviewAsync(CommandContext context, Subscription wanted, string label, CancellationToken cancellationToken)
    {
        var candidates = await articles.LatestAsync(new ArticleQuery(PreviewCandidates, wanted.SourceId, wanted.TopicKey), cancellationToken);
        var newest = candidates.FirstOrDefault(a => matcher.Matches(wanted, a));
        var texts = context.Texts;
        if (newest is null)
        {
            return CommandReply.Text(texts.Format("Subscribe.PreviewNothing", label)) with { Private = true };
        }

        // No subscription id: a template that fails here is said so below, not listed in /status.
        var post = await posts.CreateAsync(newest, wanted, cancellationToken) with { SubscriptionId = null };
        var failing = post.Template is { } template && templates.ProblemFor(template, post, context.Channel.TimeZone, PreviewTextLimit) is { } problem
            ? " " + texts.Format("Subscribe.PreviewTemplateFails", problem)
            : "";
        return new CommandReply([
            new ReplyParagraph(texts.Format("Subscribe.Preview", label) + failing),
            new ReplyPostPreview(post, context.Channel),
        ]) { Private = true };
    }

    /// <summary>
    /// A subscription's settings as the /subscribe options that make it (only those that differ from the defaults), so
    /// an export can carry them and an import run them through this handler again.
    /// </summary>
    public static Dictionary<string, string> OptionsOf(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value, bool when = true)
        {
            if (value is not null && when)
            {
                options[name] = value;
            }
        }

        Add("include", string.Join(", ", subscription.Include), subscription.Include.Count > 0);
        Add("exclude", string.Join(", ", subscription.Exclude), subscription.Exclude.Count > 0);
        Add("summary", "off", !subscription.ShowSummary);
        Add("related", subscription.RelatedCount.ToString(CultureInfo.InvariantCulture), subscription.RelatedCount != 3);
        Add("format", "compact", subscription.Format == PostFormat.Compact);
        Add("digest", subscription.Digest.ToString().ToLowerInvariant(), subscription.Digest != DigestMode.Off);
        Add("silent", "on", subscription.Silent);
        Add("template", subscription.Template?.Text);
        Add("embed_title", subscription.Template?.Title);
        Add("embed_footer", subscription.Template?.Footer);
        Add("colour", subscription.Template?.Colour is { } colour ? "#" + colour.ToString("X6", CultureInfo.InvariantCulture) : null);
        Add("mention", string.Join(',', subscription.MentionRoleIds), subscription.MentionRoleIds.Count > 0);
        Add("summary_language", subscription.SummaryLanguage);
        return options;
    }

    /// <summary>The template options as one <see cref="PostTemplate"/>; "off" (or no template) is the default layout.</summary>
    private (PostTemplate? Template, string? Error) Template(CommandContext context)
    {
        var text = context.String("template");
        if (text is null || text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        int? colour = null;
        if (context.String("colour") is { } hex)
        {
            if (!int.TryParse(hex.TrimStart('#'), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb) || hex.TrimStart('#').Length != 6)
            {
                return (null, context.Texts.Format("Subscribe.BadColour", hex));
            }

            colour = rgb;
        }

        var template = new PostTemplate(Lines(text), Lines(context.String("embed_title")), Lines(context.String("embed_footer")), colour);
        return templates.Validate(template) is { } error ? (null, error) : (template, null);
    }

    /// <summary>Discord's option box is one line, so "\n" typed in a template is a line break.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    private static string? Lines(string? text) => text?.Replace("\\n", "\n", StringComparison.Ordinal);

    /// <summary>Role mentions (&lt;@&amp;id&gt;) or bare ids; "none" or nothing pings no one.</summary>
    private static (IReadOnlyList<ulong> Roles, string? Error) MentionRoles(CommandContext context)
    {
        var text = context.String("mention");
        if (text is null || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return ([], null);
        }

        if (context.Channel.Platform != Platform.Discord)
        {
            return ([], context.Texts["Subscribe.RolesDiscordOnly"]);
        }

        var roles = new List<ulong>();
        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var id = part.StartsWith("<@&", StringComparison.Ordinal) && part.EndsWith('>') ? part[3..^1] : part;
            if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var role))
            {
                return ([], context.Texts.Format("Subscribe.NotARole", part));
            }

            roles.Add(role);
        }

        return (roles.Distinct().ToList(), null);
    }

    /// <summary>A culture .NET knows (de, pt-BR, it); "off" or nothing keeps each article's language.</summary>
    private static (CultureInfo? Language, string? Error) SummaryLanguage(CommandContext context)
    {
        var text = context.String("summary_language");
        if (text is null || text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(text, predefinedOnly: true);
            return culture.Name.Length == 0 ? (null, context.Texts.Format("Subscribe.BadSummaryLanguage", text)) : (culture, null);
        }
        catch (CultureNotFoundException)
        {
            return (null, context.Texts.Format("Subscribe.BadSummaryLanguage", text));
        }
    }

    private static List<string> Filters(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
