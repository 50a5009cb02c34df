using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NewsBot.Fakes.Telegram;

/// <summary>
/// The parameters of one Bot API call, merged from the query string, a form (urlencoded or multipart) and a JSON body,
/// as the Bot API accepts all of them. Form and query values that hold JSON (reply_parameters, scope, commands, ...)
/// are parsed, as Telegram does.
/// </summary>
internal sealed class TelegramRequestParameters
{
    private TelegramRequestParameters(JsonObject values) => Values = values;

    /// <summary>Every parameter as JSON; form and query strings stay strings unless they hold a JSON object or array.</summary>
    public JsonObject Values { get; }

    public static async Task<TelegramRequestParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            values[key] = FromString(value.ToString());
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                values[key] = FromString(value.ToString());
            }
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (body is JsonObject bodyObject)
            {
                foreach (var (key, value) in bodyObject.ToList())
                {
                    bodyObject.Remove(key);
                    values[key] = value;
                }
            }
        }

        return new TelegramRequestParameters(values);
    }

    public bool Has(string name) => Values[name] is not null;

    public string? GetString(string name) => Values[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonNode node => node.ToJsonString(),
    };

    public long? GetLong(string name) =>
        long.TryParse(GetString(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    public int? GetInt(string name) =>
        int.TryParse(GetString(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    public bool GetBool(string name) => Values[name] switch
    {
        JsonValue value when value.GetValueKind() is JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() is JsonValueKind.String =>
            string.Equals(value.GetValue<string>(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public JsonObject? GetObject(string name) => Values[name] as JsonObject;

    public JsonArray? GetArray(string name) => Values[name] as JsonArray;

    private static JsonNode? FromString(string value)
    {
        var trimmed = value.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text as sent.
            }
        }

        return JsonValue.Create(value);
    }
}
