using System.Text.RegularExpressions;
using NewsBot.Commands;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Architecture;

/// <summary>
/// The platform adapters treat every command alike: what a command needs (aliases such as /start, a posting-rights
/// check, admin-only) is declared in the <see cref="CommandCatalogue"/>, so no adapter names a command in its code.
/// </summary>
public sealed partial class AdapterTests
{
    private static readonly string Platforms = Path.Combine(RepositoryPaths.Root, "src", "NewsBot", "Platforms");

    [Fact]
    public void PlatformSources_NameNoCommand()
    {
        var words = new CommandCatalogue().All.SelectMany(c => c.Aliases.Prepend(c.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var named = (from file in Directory.EnumerateFiles(Platforms, "*.cs", SearchOption.AllDirectories)
                     from literal in StringLiterals(File.ReadAllText(file))
                     where words.Contains(literal.TrimStart('/'))
                     select $"{Path.GetRelativePath(Platforms, file)}: \"{literal}\"").Distinct().ToList();

        Assert.True(named.Count == 0, $"adapters special-case commands by name (declare it in CommandDefinition instead): {string.Join("; ", named)}");
    }

    [Theory]
    [InlineData("if (definition?.Name == \"subscribe\") { }", "subscribe", true)]
    [InlineData("command = command == \"start\" ? \"help\" : command;", "start", true)]
    [InlineData("var raw = @\"/latest\";", "/latest", true)]
    [InlineData("// \"/subscribe\" in a comment\nvar x = '\"';", "/subscribe", false)]
    [InlineData("/* \"help\" */ var y = 1;", "help", false)]
    public void StringLiterals_FindsLiteralsNotComments(string code, string literal, bool found) =>
        Assert.Equal(found, StringLiterals(code).Contains(literal));

    /// <summary>The contents of the string literals in C# code; comments and character literals are skipped.</summary>
    private static List<string> StringLiterals(string code) =>
        [.. Tokens().Matches(code).Where(match => match.Groups["text"].Success).Select(match => match.Groups["text"].Value)];

    [GeneratedRegex(""""
        //[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\\n])'|"""(?<text>.*?)"""|@"(?<text>(?:[^"]|"")*)"|"(?<text>(?:\\.|[^"\\\n])*)"
        """", RegexOptions.Singleline)]
    private static partial Regex Tokens();
}
