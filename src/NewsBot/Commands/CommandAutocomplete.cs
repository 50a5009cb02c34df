using System.Globalization;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>One suggestion for an option being typed: what the picker shows, and the value it fills in.</summary>
public sealed record OptionSuggestion(string Label, string Value);

/// <summary>
/// Suggestions while someone types an option (Discord autocomplete), drawn from what the catalogue declares the option
/// takes (<see cref="CommandOption.Autocomplete"/>): topic names, or sources by name or URL with their id as the value
/// (every source option accepts an id). Platform-neutral: an adapter only translates the question and the answer.
/// </summary>
public sealed class CommandAutocomplete(CommandCatalogue catalogue, ITopicStore topics, SourceLookup sources)
{
    /// <param name="limit">The most suggestions the platform shows.</param>
    public async Task<IReadOnlyList<OptionSuggestion>> SuggestAsync(string command, string option, string typed, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var declared = catalogue.Find(command)?.Options.FirstOrDefault(o => o.Name == option);
        switch (declared?.Autocomplete)
        {
            case AutocompleteSource.Topics:
                var names = await topics.SuggestAsync(typed, limit, cancellationToken);
                return [.. names.Take(limit).Select(name => new OptionSuggestion(name, name))];
            case AutocompleteSource.Sources:
                var matching = await sources.SuggestAsync(typed, limit, cancellationToken);
                return [.. matching.Select(source => new OptionSuggestion(source.DisplayName, source.Id.ToString(CultureInfo.InvariantCulture)))];
            default:
                return [];
        }
    }
}
