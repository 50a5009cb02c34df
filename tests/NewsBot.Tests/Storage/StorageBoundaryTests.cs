using System.Reflection;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// The storage contract holds: each engine's driver is used inside its own folder only, and the rest of the app knows
/// the contracts, not an engine (only the composition root picks one).
/// </summary>
public sealed class StorageBoundaryTests
{
    private static readonly string Source = Path.Combine(RepositoryPaths.Root, "src", "NewsBot");

    public static TheoryData<string, string> Engines => new()
    {
        { "Microsoft.Data.Sqlite", Path.Combine("Storage", "Sqlite") },
        { "Npgsql", Path.Combine("Storage", "Postgres") },
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void SourceFiles_EngineDriver_UsedOnlyInItsFolder(string driver, string folder)
    {
        var outside = SourceFilesOutside(folder)
            .Where(file => File.ReadAllText(file).Contains(driver, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Source, file))
            .ToList();

        Assert.True(outside.Count == 0, $"{driver} is used outside src/NewsBot/{folder}: {string.Join(", ", outside)}");
    }

    [Fact]
    public void SourceFiles_OutsideStorage_KnowNoEngineNamespace()
    {
        var storage = Path.Combine(Source, "Storage");
        var outside = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(storage + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !IsBuildOutput(file))
            .Where(file => File.ReadAllText(file) is var text && (text.Contains("NewsBot.Storage.Sqlite", StringComparison.Ordinal) || text.Contains("NewsBot.Storage.Postgres", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(Source, file))
            .ToList();

        Assert.True(outside.Count == 0, $"outside Storage, these name an engine instead of the contracts: {string.Join(", ", outside)}");
    }

    [Fact]
    public void PublicTypes_OutsideEngines_ExposeNoDriverType()
    {
        var exposed = typeof(IArticleStore).Assembly.GetExportedTypes()
            .Where(type => type.Namespace is not ("NewsBot.Storage.Sqlite" or "NewsBot.Storage.Postgres"))
            .SelectMany(type => type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(member => (type, member)))
            .Where(pair => SignatureTypes(pair.member).Any(IsDriverType))
            .Select(pair => $"{pair.type.Name}.{pair.member.Name}")
            .ToList();

        Assert.True(exposed.Count == 0, $"driver types in public signatures: {string.Join(", ", exposed)}");
    }

    private static IEnumerable<string> SourceFilesOutside(string folder)
    {
        var engine = Path.Combine(Source, folder) + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(engine, StringComparison.Ordinal) && !IsBuildOutput(file));
    }

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodBase method => method.GetParameters().Select(p => p.ParameterType).Append(method is MethodInfo info ? info.ReturnType : typeof(void)),
        PropertyInfo property => [property.PropertyType],
        FieldInfo field => [field.FieldType],
        _ => [],
    };

    private static bool IsDriverType(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || ns.StartsWith("Npgsql", StringComparison.Ordinal))
        || (type.IsGenericType && type.GetGenericArguments().Any(IsDriverType))
        || (type.HasElementType && IsDriverType(type.GetElementType()!));
}
