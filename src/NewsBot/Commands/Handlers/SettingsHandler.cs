using System.Globalization;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SettingsHandler(IChannelStore channels) : ICommandHandler
{
    public string Name => "settings";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var channel = context.Channel;
        if (context.Options.Count == 0)
        {
            return CommandReply.Text($"This channel's settings: {Describe(channel.MaxPostsPerHour, channel.QuietStart, channel.QuietEnd, channel.TimeZone)}. Change them with /settings max_per_hour:10 quiet:22:00-07:00 timezone:Europe/Berlin.") with { Private = true };
        }

        var max = context.Integer("max_per_hour") ?? channel.MaxPostsPerHour;
        var (start, end) = (channel.QuietStart, channel.QuietEnd);
        if (context.String("quiet") is { } quiet)
        {
            if (string.Equals(quiet, "off", StringComparison.OrdinalIgnoreCase))
            {
                (start, end) = (null, null);
            }
            else if (!TryParseRange(quiet, out var from, out var to))
            {
                return CommandReply.Error($"quiet must look like 22:00-07:00 (or off), not \"{quiet}\".");
            }
            else
            {
                (start, end) = (from, to);
            }
        }

        var zone = context.String("timezone") ?? channel.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return CommandReply.Error($"Unknown time zone \"{zone}\". Use an IANA name such as Europe/Berlin or America/New_York.");
        }

        await channels.UpdateSettingsAsync(channel.Id, max, start, end, zone, cancellationToken);
        return CommandReply.Text($"Settings saved: {Describe(max, start, end, zone)}.") with { Private = true };
    }

    private static string Describe(int max, TimeOnly? start, TimeOnly? end, string zone) =>
        $"at most {max} posts an hour (the rest become a digest), " + (start is { } s && end is { } e
            ? $"quiet hours {s:HH\\:mm}-{e:HH\\:mm} ({zone}); posts wait and arrive as one digest"
            : $"no quiet hours (time zone {zone})");

    private static bool TryParseRange(string text, out TimeOnly from, out TimeOnly to)
    {
        from = to = default;
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out from)
            && TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out to)
            && from != to;
    }
}
