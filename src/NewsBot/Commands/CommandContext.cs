using NewsBot.Localization;
using NewsBot.Model;

namespace NewsBot.Commands;

/// <summary>
/// A validated command with its stored channel, ready for a handler. <paramref name="IsOperator"/>: the person
/// running this NewsBot (the console, or a configured owner), trusted with what configuration may do (local files).
/// <paramref name="Texts"/>: the language to answer in.
/// </summary>
public sealed record CommandContext(CommandRequest Request, CommandDefinition Definition, Channel Channel, IReadOnlyDictionary<string, object> Options, bool IsAdmin, Texts Texts, bool IsOperator = false)
{
    public string? String(string name) => Options.TryGetValue(name, out var value) ? (string)value : null;

    public int? Integer(string name) => Options.TryGetValue(name, out var value) ? (int)(long)value : null;

    public bool? Boolean(string name) => Options.TryGetValue(name, out var value) ? (bool)value : null;
}

/// <summary>Runs one command of the catalogue. Handlers read and write the store; they never talk to a platform.</summary>
public interface ICommandHandler
{
    string Name { get; }

    Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken);
}
