using System.Globalization;

namespace NewsBot.Benchmarks;

/// <summary>
/// The "--name value" options of every benchmark verb, read one way: a missing option takes its default, and a value
/// that is not a number stops the verb with a line naming the option.
/// </summary>
public static class BenchArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is not given.</summary>
    public static string? Text(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    public static int Int(IReadOnlyList<string> args, string name, int fallback) =>
        Text(args, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(name, text, "a whole number");

    public static long Long(IReadOnlyList<string> args, string name, long fallback) =>
        Text(args, name) is not { } text ? fallback
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(name, text, "a whole number");

    public static double Real(IReadOnlyList<string> args, string name, double fallback) =>
        Text(args, name) is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(name, text, "a number");

    private static ArgumentException Invalid(string name, string text, string what) => new($"{name} must be {what}, not \"{text}\".");
}
