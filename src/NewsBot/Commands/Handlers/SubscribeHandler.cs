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
    IDeliveryPlanner planner,
    DeliverySignal deliverySignal,
    PostTemplateRenderer templates,
    SummaryTranslator translator,
    IOptions<FeedsOptions> feedOptions) : ICommandHandler
{
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

        var (subscription, created) = await subscriptions.UpsertAsync(target with
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
        }, cancellationToken);
        templates.Forget(subscription.Id);

        var backfilled = created ? await planner.BackfillAsync(subscription, feedOptions.Value.BackfillCount, cancellationToken) : 0;
        if (backfilled > 0)
        {
            deliverySignal.Notify();
        }

        var sentences = new List<string> { texts.Format(created ? "Subscribe.Created" : "Subscribe.Updated", label) };
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
