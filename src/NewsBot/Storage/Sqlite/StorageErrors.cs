using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>Why a database file (or a backup target) cannot be used, in words an operator can act on.</summary>
internal static class StorageErrors
{
    /// <returns>The reason, or null when <paramref name="exception"/> is not a file or SQLite failure.</returns>
    public static string? Reason(Exception exception) => exception switch
    {
        // Result codes: https://www.sqlite.org/rescode.html
        SqliteException { SqliteErrorCode: 14 } => "cannot open or create the file (is the folder there and writable?)",
        SqliteException { SqliteErrorCode: 8 } => "the file or its folder is read-only",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 26 } => "the file is not a SQLite database",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process",
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {FirstLine(sqlite.Message)}",
        UnauthorizedAccessException => "permission denied (the folder is not writable)",
        StorageVersionException version => version.Message,
        IOException io => FirstLine(io.Message),
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}
