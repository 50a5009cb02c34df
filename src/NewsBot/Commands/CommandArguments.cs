using System.Globalization;
using System.Text;

namespace NewsBot.Commands;

/// <summary>
/// Parses the text after a command name against its definition: <c>name:value</c> pairs, quoted values,
/// numbers to integer options, words to string options in order; extra words join the last string option.
/// </summary>
public static class CommandArguments
{
    public static ParsedArguments Parse(CommandDefinition definition, string? text)
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        var tokens = Tokenize(text ?? "");
        string? lastString = null;
        foreach (var token in tokens)
        {
            if (TrySplitNamed(definition, token, out var named, out var namedValue))
            {
                var error = Assign(definition, named, namedValue, values);
                if (error is not null)
                {
                    return ParsedArguments.Failure(error);
                }

                continue;
            }

            var takesRest = lastString is not null && definition.Options.First(o => o.Name == lastString).TakesRest;
            var integerSlot = definition.Options.FirstOrDefault(o => o.Type == OptionType.Integer && !values.ContainsKey(o.Name));
            if (!takesRest && integerSlot is not null && long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                var error = Assign(definition, integerSlot, token, values);
                if (error is not null)
                {
                    return ParsedArguments.Failure(error);
                }

                continue;
            }

            var stringSlot = takesRest ? null : definition.Options.FirstOrDefault(o => o.Type == OptionType.String && !values.ContainsKey(o.Name));
            if (stringSlot is not null)
            {
                var error = Assign(definition, stringSlot, token, values);
                if (error is not null)
                {
                    return ParsedArguments.Failure(error);
                }

                lastString = stringSlot.Name;
            }
            else if (lastString is not null)
            {
                values[lastString] = values[lastString] + " " + token;
            }
            else
            {
                return ParsedArguments.Failure($"I did not expect \"{token}\". Usage: {definition.Usage}");
            }
        }

        return Validate(definition, values);
    }

    /// <summary>Checks typed options (as Discord sends them): types, ranges, choices, required ones present.</summary>
    public static ParsedArguments Validate(CommandDefinition definition, IReadOnlyDictionary<string, object> given)
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in given)
        {
            var option = definition.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                return ParsedArguments.Failure($"/{definition.Name} has no option \"{name}\". Usage: {definition.Usage}");
            }

            var error = Assign(definition, option, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", values);
            if (error is not null)
            {
                return ParsedArguments.Failure(error);
            }
        }

        var missing = definition.Options.FirstOrDefault(o => o.Required && !values.ContainsKey(o.Name));
        return missing is null
            ? new ParsedArguments(values, null)
            : ParsedArguments.Failure($"Missing {missing.Name}: {missing.Description}. Usage: {definition.Usage}");
    }

    private static string? Assign(CommandDefinition definition, CommandOption option, string raw, Dictionary<string, object> values)
    {
        var text = raw.Trim();
        switch (option.Type)
        {
            case OptionType.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return $"{option.Name} must be a whole number, not \"{text}\". Usage: {definition.Usage}";
                }

                if ((option.Min is { } min && number < min) || (option.Max is { } max && number > max))
                {
                    return $"{option.Name} must be between {option.Min} and {option.Max}.";
                }

                values[option.Name] = number;
                return null;
            case OptionType.Boolean:
                bool? flag = text.ToLowerInvariant() switch
                {
                    "on" or "true" or "yes" or "1" => true,
                    "off" or "false" or "no" or "0" => false,
                    _ => null,
                };
                if (flag is null)
                {
                    return $"{option.Name} must be on or off, not \"{text}\".";
                }

                values[option.Name] = flag.Value;
                return null;
            default:
                if (text.Length == 0)
                {
                    return $"{option.Name} must not be empty. Usage: {definition.Usage}";
                }

                if (option.Choices.Count > 0)
                {
                    var choice = option.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                    if (choice is null)
                    {
                        return $"{option.Name} must be one of: {string.Join(", ", option.Choices)}.";
                    }

                    text = choice;
                }

                values[option.Name] = text;
                return null;
        }
    }

    private static bool TrySplitNamed(CommandDefinition definition, string token, out CommandOption option, out string value)
    {
        var separator = token.IndexOfAny([':', '=']);
        if (separator > 0)
        {
            var name = token[..separator];
            var match = definition.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                option = match;
                value = token[(separator + 1)..];
                return true;
            }
        }

        option = null!;
        value = "";
        return false;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c is '"' or '“' or '”')
            {
                quoted = !quoted;
                continue;
            }

            if (char.IsWhiteSpace(c) && !quoted)
            {
                Flush();
                continue;
            }

            current.Append(c);
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
    }
}

/// <summary>Typed option values, or a reply-ready message saying what was expected.</summary>
public sealed record ParsedArguments(IReadOnlyDictionary<string, object> Values, string? Error)
{
    public static ParsedArguments Failure(string error) => new(new Dictionary<string, object>(), error);
}
