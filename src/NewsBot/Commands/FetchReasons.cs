namespace NewsBot.Commands;

/// <summary>A fetch failure's reason code (<c>fetch.http_status: 404</c>), told to a chat user in words.</summary>
public static class FetchReasons
{
    public static string Describe(string? error)
    {
        var (code, detail) = error?.Split(':', 2, StringSplitOptions.TrimEntries) switch
        {
            [var c, var d] => (c, d),
            [var c] => (c, ""),
            _ => ("fetch.failed", ""),
        };
        return code switch
        {
            "fetch.blocked_address" => $"{detail} is a loopback or private address, which NewsBot fetches only when NewsBot:Feeds:AllowPrivateAddresses is true",
            "fetch.http_status" => $"the server answered HTTP {detail}",
            "fetch.dns" => "the host name does not resolve",
            "fetch.timeout" or "fetch.connect_timeout" => "the server did not answer in time",
            _ => error ?? "fetch.failed",
        };
    }
}
