using System.Text.RegularExpressions;
using NewsBot.Model;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Architecture;

/// <summary>
/// The folders of src/NewsBot depend one way (docs/architecture.md): each file's namespace is its folder, and a file
/// names (in a using or a qualified name) only namespaces of its own area or of the areas below it.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Source = Path.Combine(RepositoryPaths.Root, "src", "NewsBot");

    /// <summary>Each area with the areas it may use directly; what those may use, it may use too.</summary>
    private static readonly (string Area, string[] Uses)[] Layers =
    [
        ("Model", []),
        ("Localization", []),
        ("Text", ["Model"]),
        ("Runtime", []),
        ("Enrichment", ["Model"]),
        ("Storage", ["Model", "Text", "Runtime"]),
        ("Feeds", ["Storage", "Enrichment"]),
        ("Reading", ["Feeds"]),
        ("Knowledge", ["Storage", "Enrichment"]),
        ("Publishing", ["Feeds", "Reading", "Knowledge", "Localization"]),
        ("Commands", ["Publishing"]),
        ("Platforms", ["Commands"]),
        ("Platforms.Console", ["Platforms"]),
        ("Platforms.Discord", ["Platforms", "NewsBot.Discord"]),
        ("Platforms.Telegram", ["Platforms"]),
        ("Hosting", ["Platforms.Console", "Platforms.Discord", "Platforms.Telegram", "Cli"]),
        ("Cli", ["Platforms.Console", "Platforms.Discord", "Platforms.Telegram", "Hosting"]),
    ];

    private static readonly Dictionary<string, HashSet<string>> Allowed = Closure();

    [Fact]
    public void Types_InTheExecutable_LiveInAKnownArea()
    {
        var strays = typeof(Article).Assembly.GetTypes()
            .Where(type => type.Namespace?.StartsWith("NewsBot", StringComparison.Ordinal) == true && AreaOf(type.Namespace) is null)
            .Select(type => type.FullName)
            .ToList();

        Assert.True(strays.Count == 0, $"types outside the layered areas: {string.Join(", ", strays)}");
    }

    /// <summary>Model is the domain model only: records and enums with their own rules, no services or their contracts.</summary>
    [Fact]
    public void Model_HoldsNoServiceInterfaces()
    {
        var interfaces = typeof(Article).Assembly.GetTypes()
            .Where(type => type.IsInterface && AreaOf(type.Namespace ?? "") == "Model")
            .Select(type => type.FullName)
            .ToList();

        Assert.True(interfaces.Count == 0, $"service interfaces in Model (move them to the area that runs them): {string.Join(", ", interfaces)}");
    }

    [Fact]
    public void SourceFiles_Namespace_IsTheirFolder()
    {
        var misplaced = SourceFiles()
            .Select(file => (file, declared: NamespaceDeclaration().Match(File.ReadAllText(file))))
            .Where(pair => pair.declared.Success)
            .Where(pair => pair.declared.Groups[1].Value != ExpectedNamespace(pair.file))
            .Select(pair => $"{Path.GetRelativePath(Source, pair.file)} declares {pair.declared.Groups[1].Value}")
            .ToList();

        Assert.True(misplaced.Count == 0, $"namespace does not match folder: {string.Join("; ", misplaced)}");
    }

    [Fact]
    public void SourceFiles_NameNoAreaAboveTheirOwn()
    {
        var upward = (from file in SourceFiles()
                      let area = AreaOf(ExpectedNamespace(file))
                      where area is not null
                      from used in NamespacesUsed(File.ReadAllText(file))
                      let usedArea = AreaOf(used)
                      where usedArea is not null && !MayUse(area, usedArea)
                      select $"{Path.GetRelativePath(Source, file)} ({area}) uses {used}").Distinct().ToList();

        Assert.True(upward.Count == 0, $"upward references: {string.Join("; ", upward)}");
    }

    [Theory]
    [InlineData("namespace NewsBot.Reading;\nusing NewsBot.Text;", "NewsBot.Text", true)]
    [InlineData("using NewsBot.Hosting;\nnamespace NewsBot.Platforms.Telegram;", "NewsBot.Hosting", true)]
    [InlineData("namespace NewsBot.Knowledge;\nvar x = new NewsBot.Feeds.Processing.FeedItemProcessor();", "NewsBot.Feeds.Processing.FeedItemProcessor", true)]
    [InlineData("using static NewsBot.Feeds.Parsing.XmlFeedValues;", "NewsBot.Feeds.Parsing.XmlFeedValues", true)]
    [InlineData("// see NewsBot.Hosting for the host\nvar s = \"NewsBot.Hosting\";", "NewsBot.Hosting", false)]
    public void NamespacesUsed_FindsUsingsAndQualifiedNames_NotCommentsOrStrings(string code, string expected, bool found) =>
        Assert.Equal(found, NamespacesUsed(code).Contains(expected));

    [Theory]
    [InlineData("Reading", "Text", true)]
    [InlineData("Platforms.Telegram", "Storage", true)]
    [InlineData("Hosting", "Platforms.Discord", true)]
    [InlineData("Storage", "Publishing", false)]
    [InlineData("Knowledge", "Feeds", false)]
    [InlineData("Knowledge", "Reading", false)]
    [InlineData("Platforms.Telegram", "Hosting", false)]
    [InlineData("Platforms.Telegram", "Platforms.Discord", false)]
    [InlineData("Platforms.Console", "NewsBot.Discord", false)]
    [InlineData("Model", "Text", false)]
    [InlineData("Model", "Enrichment", false)]
    [InlineData("Enrichment", "Storage", false)]
    [InlineData("Knowledge", "Enrichment", true)]
    [InlineData("Storage", "Enrichment", false)]
    [InlineData("Feeds", "Cli", false)]
    public void MayUse_FollowsTheLayers(string area, string used, bool allowed) =>
        Assert.Equal(allowed, MayUse(area, used));

    private static bool MayUse(string area, string used) => area == used || Allowed[area].Contains(used);

    private static Dictionary<string, HashSet<string>> Closure()
    {
        var direct = Layers.ToDictionary(layer => layer.Area, layer => layer.Uses);
        var closure = new Dictionary<string, HashSet<string>>();
        foreach (var (area, _) in Layers)
        {
            var reached = new HashSet<string>();
            var pending = new Stack<string>(direct[area]);
            while (pending.TryPop(out var next))
            {
                if (reached.Add(next) && direct.TryGetValue(next, out var further))
                {
                    foreach (var item in further)
                    {
                        pending.Push(item);
                    }
                }
            }

            closure[area] = reached;
        }

        return closure;
    }

    /// <summary>The area a namespace belongs to: the longest layer name that prefixes it; the Discord client library is its own.</summary>
    private static string? AreaOf(string ns)
    {
        if (ns == "NewsBot.Discord" || ns.StartsWith("NewsBot.Discord.", StringComparison.Ordinal))
        {
            return "NewsBot.Discord";
        }

        return Layers.Select(layer => layer.Area)
            .Where(area => ns == "NewsBot." + area || ns.StartsWith("NewsBot." + area + ".", StringComparison.Ordinal))
            .MaxBy(area => area.Length);
    }

    private static string ExpectedNamespace(string file)
    {
        var folder = Path.GetRelativePath(Source, Path.GetDirectoryName(file)!);
        return folder == "." ? "NewsBot" : "NewsBot." + folder.Replace(Path.DirectorySeparatorChar, '.');
    }

    /// <summary>
    /// Namespaces (or namespace-qualified type names) named in using directives and in code, comments and strings left
    /// out. A file's own namespace declaration is named too; it is its own area, so it never counts as upward.
    /// </summary>
    private static HashSet<string> NamespacesUsed(string code) =>
        QualifiedName().Matches(CommentsAndStrings().Replace(code, " ")).Select(match => match.Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\bNewsBot(\.\w+)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|"""""".*?""""""|""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();
}
