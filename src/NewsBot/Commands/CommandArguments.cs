using System.Globalization;
using System.Text;
using NewsBot.Localization;

namespace NewsBot.Commands;

/// <summary>
/// Parses the text after a command name against its definition: <c>name:value</c> pairs, quoted values, and
/// positional words. A positional word fills the first missing required option, then the string options in
/// order; a bare number fills an integer option only once every required option is given (so "/subscribe 2" is
/// source 2, and "/latest 5" is a count); an option with choices takes only one of them. Extra words join the last
/// string option. An option that takes the rest of the line keeps the words as typed, quotes included (search phrases).
/// </summary>
public static class CommandArguments
{
    public static ParsedArguments Parse(CommandDefinition definition, string? text, Texts? texts = null)
    {
        texts ??= Texts.English;
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        CommandOption? lastString = null;
        foreach (var token in Tokenize(text ?? ""))
        {
            if (TrySplitNamed(definition, token.Value, out var named, out var namedValue))
            {
                if (Assign(definition, named, namedValue, values, texts) is { } namedError)
                {
                    return ParsedArguments.Failure(namedError);
                }

                continue;
            }

            if (lastString is { TakesRest: true })
            {
                values[lastString.Name] = values[lastString.Name] + " " + token.Raw;
                continue;
            }

            var slot = PositionalSlot(definition, token.Value, values, canAppend: lastString is not null);
            if (slot is null)
            {
                if (lastString is null)
                {
                    return ParsedArguments.Failure(texts.Format("Args.Unexpected", token.Value, definition.Usage));
                }

                values[lastString.Name] = values[lastString.Name] + " " + token.Value;
                continue;
            }

            if (Assign(definition, slot, slot.TakesRest ? token.Raw : token.Value, values, texts) is { } error)
            {
                return ParsedArguments.Failure(error);
            }

            lastString = slot.Type == OptionType.String ? slot : lastString;
        }

        return Validate(definition, values, texts);
    }

    /// <summary>
    /// Where a word typed without a name goes, or null when no option can take it (it then joins the last string).
    /// A word that is none of an option's choices goes there only when it cannot join anything, to be told the choices.
    /// </summary>
    private static CommandOption? PositionalSlot(CommandDefinition definition, string token, Dictionary<string, object> values, bool canAppend)
    {
        var open = definition.Options.Where(o => !values.ContainsKey(o.Name) && !o.NamedOnly).ToList();
        if (open.FirstOrDefault(o => o.Required) is { } required)
        {
            return required;
        }

        var isNumber = long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        return (isNumber ? open.FirstOrDefault(o => o.Type == OptionType.Integer) : null)
            ?? open.FirstOrDefault(o => o.Type == OptionType.String && (o.Choices.Count == 0 || o.Choices.Contains(token, StringComparer.OrdinalIgnoreCase)))
            ?? (canAppend ? null : open.FirstOrDefault(o => o.Type == OptionType.String));
    }

    /// <summary>Checks typed options (as Discord sends them): types, ranges, choices, required ones present.</summary>
    public static ParsedArguments Validate(CommandDefinition definition, IReadOnlyDictionary<string, object> given, Texts texts)
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in given)
        {
            var option = definition.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                return ParsedArguments.Failure(texts.Format("Args.NoOption", definition.Name, name, definition.Usage));
            }

            var error = Assign(definition, option, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", values, texts);
            if (error is not null)
            {
                return ParsedArguments.Failure(error);
            }
        }

        var missing = definition.Options.FirstOrDefault(o => o.Required && !values.ContainsKey(o.Name));
        return missing is null
            ? new ParsedArguments(values, null)
            : ParsedArguments.Failure(texts.Format("Args.Missing", missing.Name, texts.Describe(definition, missing), definition.Usage));
    }

    private static string? Assign(CommandDefinition definition, CommandOption option, string raw, Dictionary<string, object> values, Texts texts)
    {
        var text = raw.Trim();
        switch (option.Type)
        {
            case OptionType.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return texts.Format("Args.NotWholeNumber", option.Name, text, definition.Usage);
                }

                if ((option.Min is { } min && number < min) || (option.Max is { } max && number > max))
                {
                    return texts.Format("Args.OutOfRange", option.Name, option.Min, option.Max);
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
                    return texts.Format("Args.NotOnOff", option.Name, text);
                }

                values[option.Name] = flag.Value;
                return null;
            default:
                if (text.Length == 0)
                {
                    return texts.Format("Args.Empty", option.Name, definition.Usage);
                }

                if (option.Choices.Count > 0)
                {
                    var choice = option.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                    if (choice is null)
                    {
                        return texts.Format("Args.NotAChoice", option.Name, string.Join(", ", option.Choices));
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

    /// <summary>A word as parsed (quotes removed) and as typed (quotes kept).</summary>
    private readonly record struct Token(string Value, string Raw);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var current = new StringBuilder();
        var raw = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c is '"' or '“' or '”')
            {
                quoted = !quoted;
                raw.Append('"');
                continue;
            }

            if (char.IsWhiteSpace(c) && !quoted)
            {
                Flush();
                continue;
            }

            current.Append(c);
            raw.Append(c);
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(new Token(current.ToString(), raw.ToString()));
            }

            current.Clear();
            raw.Clear();
        }
    }
}

/// <summary>Typed option values, or a reply-ready message saying what was expected.</summary>
public sealed record ParsedArguments(IReadOnlyDictionary<string, object> Values, string? Error)
{
    public static ParsedArguments Failure(string error) => new(new Dictionary<string, object>(), error);
}
