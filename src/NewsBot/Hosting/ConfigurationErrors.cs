using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NewsBot.Hosting;

/// <summary>
/// Checks every options class before anything starts, and turns what goes wrong into one line that names the
/// setting, the value given and what is allowed — never a stack trace.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>Every options class of NewsBot and its Discord library: the types with a constant section name.</summary>
    public static IReadOnlyList<(Type Type, string Section)> OptionsClasses { get; } =
        new[] { typeof(NewsBotHost).Assembly, typeof(NewsBot.Discord.Rest.DiscordRestClient).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static) ?? t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => (x.Type, (string)x.Field!.GetRawConstantValue()!))
            .ToList();

    /// <summary>
    /// Binds every options class, also those of a platform that is off or bound only later, so that a value that
    /// does not convert is found now; then runs the validations the host would run at start.
    /// </summary>
    public static void ValidateAll(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        foreach (var (type, section) in OptionsClasses)
        {
            configuration.GetSection(section).Get(type);
        }

        services.GetService<IStartupValidator>()?.Validate();
    }

    /// <returns>The one line for a configuration failure, or null when <paramref name="exception"/> is something else.</returns>
    public static string? Describe(Exception exception, IConfiguration? configuration)
    {
        var root = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
        if (root is OptionsValidationException validation)
        {
            return string.Join(" ", validation.Failures.Distinct().Select(f => Annotated(f, configuration)));
        }

        if (root is InvalidOperationException && ConversionFailure().Match(root.Message) is { Success: true } match)
        {
            var path = match.Groups["path"].Value;
            var value = configuration?[path];
            return $"{path} = \"{value}\" is not {Allowed(match.Groups["type"].Value)}.";
        }

        return null;
    }

    /// <summary>A data annotation's own message (which names the setting) and the value that broke it.</summary>
    private static string Annotated(string failure, IConfiguration? configuration)
    {
        if (DataAnnotationFailure().Match(failure) is not { Success: true } match)
        {
            return failure;
        }

        var section = OptionsClasses.FirstOrDefault(o => o.Type.Name == match.Groups["type"].Value).Section;
        var value = section is null ? null : configuration?[$"{section}:{match.Groups["member"].Value}"];
        return match.Groups["error"].Value + (value is null ? "" : $" Given: \"{value}\".");
    }

    private static string Allowed(string typeName)
    {
        var type = Type.GetType(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(TimeSpan) => "a duration: hh:mm:ss or d.hh:mm:ss, e.g. 00:10:00",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) => $"a whole number up to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}",
            _ when type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) => "a number such as 1.5",
            _ when type == typeof(Uri) => "an absolute URL",
            { IsEnum: true } => "one of: " + string.Join(", ", Enum.GetNames(type)),
            _ => "a valid " + (type?.Name ?? typeName),
        };
    }

    // The binder's message: "Failed to convert configuration value [...] at 'NewsBot:Feeds:PollInterval' to type 'System.TimeSpan'."
    [GeneratedRegex("at '(?<path>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    // ValidateDataAnnotations: "DataAnnotation validation failed for 'ConsoleOptions' members: 'Enabled' with the error: '…'."
    [GeneratedRegex("^DataAnnotation validation failed for '(?<type>[^']+)' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex DataAnnotationFailure();
}
