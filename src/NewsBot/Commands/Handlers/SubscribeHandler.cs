using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using NewsBot.Feeds;
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
    IOptions<FeedsOptions> feedOptions) : ICommandHandler
{
    public string Name => "subscribe";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (target, label, error) = await targets.ParseAsync(context.Channel.Id, context.String("target")!, cancellationToken);
        if (target is null)
        {
            return CommandReply.Error(error!);
        }

        var include = Filters(context.String("include"));
        var exclude = Filters(context.String("exclude"));
        if (include.Concat(exclude).Select(SubscriptionMatcher.Validate).FirstOrDefault(e => e is not null) is { } filterError)
        {
            return CommandReply.Error($"That filter will not work: {filterError}.");
        }

        var (template, templateError) = Template(context);
        if (templateError is not null)
        {
            return CommandReply.Error($"That template will not work: {templateError}.");
        }

        var (roles, rolesError) = MentionRoles(context);
        if (rolesError is not null)
        {
            return CommandReply.Error(rolesError);
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
        }, cancellationToken);
        templates.Forget(subscription.Id);

        var backfilled = created ? await planner.BackfillAsync(subscription, feedOptions.Value.BackfillCount, cancellationToken) : 0;
        if (backfilled > 0)
        {
            deliverySignal.Notify();
        }

        var filters = (include.Count > 0 ? $" Only with: {string.Join(", ", include)}." : "") + (exclude.Count > 0 ? $" Never with: {string.Join(", ", exclude)}." : "");
        return CommandReply.Text(created
            ? $"This channel now receives {label}.{filters}{(backfilled > 0 ? $" Posting the newest {backfilled} now." : "")}"
            : $"Updated this channel's subscription to {label}.{filters}") with { Private = true };
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
                return (null, $"colour \"{hex}\" is not #RRGGBB");
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
            return ([], "Role pings are a Discord feature; on Telegram use silent:false to notify.");
        }

        var roles = new List<ulong>();
        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var id = part.StartsWith("<@&", StringComparison.Ordinal) && part.EndsWith('>') ? part[3..^1] : part;
            if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var role))
            {
                return ([], $"\"{part}\" is not a role. Pick roles with @ in the mention option, or give their ids; mention:none pings no one.");
            }

            roles.Add(role);
        }

        return (roles.Distinct().ToList(), null);
    }

    private static List<string> Filters(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
