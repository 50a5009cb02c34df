using NewsBot.Localization;

namespace NewsBot.Commands;

/// <summary>A fetch failure's reason code (<c>fetch.http_status: 404</c>), told to a chat user in words.</summary>
public static class FetchReasons
{
    public static string Describe(string? error, Texts texts)
    {
        var (code, detail) = error?.Split(':', 2, StringSplitOptions.TrimEntries) switch
        {
            [var c, var d] => (c, d),
            [var c] => (c, ""),
            _ => ("fetch.failed", ""),
        };
        return code switch
        {
            "fetch.blocked_address" => texts.Format("Fetch.Blocked", detail),
            "fetch.http_status" => texts.Format("Fetch.HttpStatus", detail),
            "fetch.dns" => texts["Fetch.Dns"],
            "fetch.timeout" or "fetch.connect_timeout" => texts["Fetch.Timeout"],
            _ => error ?? "fetch.failed",
        };
    }
}
