using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// Dates as feeds write them: RFC 822/2822 and ISO 8601 (W3CDTF), plus the common broken variants — two-digit
/// years, missing seconds, named and military zones, month and day names in other languages, "2026-04-28 01:12:00".
/// No zone means UTC. Unreadable dates give null (the pipeline then uses the first-seen time).
/// </summary>
public static partial class FeedDateParser
{
    private static readonly Dictionary<string, int> Months = BuildMonths();

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> MonthLookup = Months.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300,
        ["MST"] = -420, ["MDT"] = -360, ["PST"] = -480, ["PDT"] = -420,
        ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["AST"] = -240, ["ADT"] = -180,
        ["NST"] = -210, ["NDT"] = -150,
        ["BST"] = 60, ["IST"] = 330, ["CET"] = 60, ["CEST"] = 120, ["MET"] = 60, ["MEST"] = 120,
        ["WEST"] = 60, ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180, ["JST"] = 540, ["KST"] = 540,
        ["HKT"] = 480, ["SGT"] = 480, ["AWST"] = 480, ["ACST"] = 570, ["AEST"] = 600, ["AEDT"] = 660,
        ["NZST"] = 720, ["NZDT"] = 780, ["ETC"] = 0,
    };

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ZoneLookup = ZoneMinutes.GetAlternateLookup<ReadOnlySpan<char>>();

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.AsSpan().Trim();
        if (TryParseRfc822(text, out var date) || TryParseIso(text, out date))
        {
            return date;
        }

        var trimmed = text.ToString();
        return ParseIso(trimmed) ?? ParseLoose(trimmed);
    }

    /// <summary>
    /// The RFC 822 form nearly every RSS feed writes ("Tue, 28 Apr 2026 01:12:00 +0000"), read without tokenizing;
    /// false for anything else, which the general readers below take. Reads exactly as <see cref="ParseLoose"/> would.
    /// </summary>
    private static bool TryParseRfc822(ReadOnlySpan<char> text, out DateTimeOffset? date)
    {
        date = null;
        if (text.Length > 5 && char.IsAsciiLetter(text[0]) && text[3] == ',' && text[4] == ' ')
        {
            if (!IsEnglishDayName(text[..3]))
            {
                return false;
            }

            text = text[5..];
        }

        var dayLength = text.Length > 1 && char.IsAsciiDigit(text[1]) ? 2 : 1;
        if (!TryDigits(text, 0, dayLength, out var day) || text.Length < dayLength + 15 || text[dayLength] != ' ' || text[dayLength + 4] != ' ')
        {
            return false;
        }

        Span<char> monthName = stackalloc char[3];
        if (text.Slice(dayLength + 1, 3).ToLowerInvariant(monthName) != 3 || !MonthLookup.TryGetValue(monthName, out var month))
        {
            return false;
        }

        // "2026 01:12" or "2026 01:12:00", then nothing or " zone".
        text = text[(dayLength + 5)..];
        if (!TryDigits(text, 0, 4, out var year) || text[4] != ' ' || !TryDigits(text, 5, 2, out var hour) || text[7] != ':'
            || !TryDigits(text, 8, 2, out var minute))
        {
            return false;
        }

        var second = 0;
        text = text[10..];
        if (text.Length >= 3 && text[0] == ':')
        {
            if (!TryDigits(text, 1, 2, out second))
            {
                return false;
            }

            text = text[3..];
        }

        int zone;
        if (text.IsEmpty)
        {
            zone = 0;
        }
        else if (text[0] != ' ' || !TryZone(text[1..], out zone))
        {
            return false;
        }

        date = Build(year, month, day, hour, minute, second, zone, 0);
        return true;
    }

    private static bool IsEnglishDayName(ReadOnlySpan<char> name) =>
        name is "Mon" or "Tue" or "Wed" or "Thu" or "Fri" or "Sat" or "Sun";

    /// <summary>"+0200" or a named zone (as <see cref="ParseLoose"/> reads them as separate tokens).</summary>
    private static bool TryZone(ReadOnlySpan<char> zone, out int minutes)
    {
        minutes = 0;
        if (zone.Length == 5 && zone[0] is '+' or '-' && TryDigits(zone, 1, 4, out var value))
        {
            minutes = (value / 100 * 60) + (value % 100);
            minutes = zone[0] == '-' ? -minutes : minutes;
            return true;
        }

        foreach (var c in zone)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        if (zone.Length == 1)
        {
            minutes = ZoneLookup.TryGetValue(zone, out var named) ? named : MilitaryZone(char.ToUpperInvariant(zone[0]));
            return true;
        }

        // Month names and AM/PM come first in ParseLoose; leave such tokens to it.
        return zone.Length <= 4 && !zone.Equals("am", StringComparison.OrdinalIgnoreCase) && !zone.Equals("pm", StringComparison.OrdinalIgnoreCase)
            && ZoneLookup.TryGetValue(zone, out minutes) && !IsMonthName(zone);
    }

    private static bool IsMonthName(ReadOnlySpan<char> token)
    {
        Span<char> lower = stackalloc char[token.Length];
        return token.ToLowerInvariant(lower) == token.Length && MonthLookup.ContainsKey(lower);
    }

    /// <summary>
    /// W3CDTF as Atom requires it ("2026-04-28T01:12:00.125+02:00", or a bare date), read as <see cref="ParseIso"/>
    /// would; false for anything else.
    /// </summary>
    private static bool TryParseIso(ReadOnlySpan<char> text, out DateTimeOffset? date)
    {
        date = null;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-' || !TryDigits(text, 0, 4, out var year)
            || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0, zone = 0;
        long fraction = 0;
        text = text[10..];
        if (!text.IsEmpty)
        {
            if (text.Length < 6 || text[0] != 'T' || !TryDigits(text, 1, 2, out hour) || text[3] != ':' || !TryDigits(text, 4, 2, out minute))
            {
                return false;
            }

            text = text[6..];
            if (text.Length >= 3 && text[0] == ':')
            {
                if (!TryDigits(text, 1, 2, out second))
                {
                    return false;
                }

                text = text[3..];
                if (text.Length >= 2 && text[0] == '.')
                {
                    var digits = 1;
                    while (digits < text.Length && char.IsAsciiDigit(text[digits]))
                    {
                        digits++;
                    }

                    if (digits == 1 || digits > 30)
                    {
                        return false;
                    }

                    fraction = FractionTicks(text[1..digits]);
                    text = text[digits..];
                }
            }

            if (text is "Z")
            {
                zone = 0;
            }
            else if (text.Length == 6 && text[0] is '+' or '-' && text[3] == ':' && TryDigits(text, 1, 2, out var zoneHours) && TryDigits(text, 4, 2, out var zoneMinutes))
            {
                zone = (zoneHours * 60) + zoneMinutes;
                zone = text[0] == '-' ? -zone : zone;
            }
            else if (!text.IsEmpty)
            {
                return false;
            }
        }

        // An impossible date ("2026-02-31") goes on to the lenient readers, as a failed ParseIso does.
        date = Build(year, month, day, hour, minute, second, zone, fraction);
        return date is not null;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        foreach (var c in text.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static DateTimeOffset? ParseIso(string text)
    {
        var match = IsoPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups["y"].ValueSpan, CultureInfo.InvariantCulture);
        var month = match.Groups["mo"].Success ? int.Parse(match.Groups["mo"].ValueSpan, CultureInfo.InvariantCulture) : 1;
        var day = match.Groups["d"].Success ? int.Parse(match.Groups["d"].ValueSpan, CultureInfo.InvariantCulture) : 1;
        var hour = Number(match.Groups["h"]);
        var minute = Number(match.Groups["mi"]);
        var second = Number(match.Groups["s"]);
        var fraction = match.Groups["f"].Success ? FractionTicks(match.Groups["f"].ValueSpan) : 0;
        var zone = match.Groups["z"].Success ? ZoneOffset(match.Groups["z"].Value) : 0;
        return Build(year, month, day, hour, minute, second, zone, fraction);
    }

    /// <summary>Token-based reading of RFC 822 and its relatives, in whatever order the parts come.</summary>
    private static DateTimeOffset? ParseLoose(string text)
    {
        int? day = null, month = null, year = null, zone = null;
        int hour = 0, minute = 0, second = 0;
        var meridiem = 0;
        var numbers = new List<string>(3);
        foreach (var raw in LooseSeparators().Split(text))
        {
            var token = raw.Trim('.');
            if (token.Length == 0)
            {
                continue;
            }

            if (token.Contains(':', StringComparison.Ordinal) && char.IsAsciiDigit(token[0]))
            {
                if (!TryTime(token, out hour, out minute, out second, out var inlineZone))
                {
                    return null;
                }

                zone ??= inlineZone;
            }
            else if (token[0] is '+' or '-' && token.Length > 1 && char.IsAsciiDigit(token[1]))
            {
                zone = ZoneOffset(token);
            }
            else if (char.IsAsciiDigit(token[0]))
            {
                var digits = DigitsPrefix(token);
                numbers.Add(digits);
            }
            else if (token.Equals("am", StringComparison.OrdinalIgnoreCase) || token.Equals("pm", StringComparison.OrdinalIgnoreCase))
            {
                meridiem = char.ToLowerInvariant(token[0]) == 'p' ? 12 : -1;
            }
            else if (Months.TryGetValue(token.ToLowerInvariant(), out var m))
            {
                month = m;
            }
            else if (ZoneMinutes.TryGetValue(token, out var minutes))
            {
                zone = minutes;
            }
            else if (token.Length == 1 && char.IsAsciiLetter(token[0]))
            {
                zone = MilitaryZone(char.ToUpperInvariant(token[0]));
            }

            // Anything else is a day name or noise ("Mon", "lundi", "Uhr", "GMT+2" leftovers).
        }

        if (month is null)
        {
            // All-numeric dates such as "2004/07/08 23:56" or "08.07.2004".
            if (numbers.Count < 3)
            {
                return null;
            }

            (year, month, day) = numbers[0].Length == 4
                ? (Year(numbers[0]), int.Parse(numbers[1], CultureInfo.InvariantCulture), int.Parse(numbers[2], CultureInfo.InvariantCulture))
                : (Year(numbers[2]), int.Parse(numbers[1], CultureInfo.InvariantCulture), int.Parse(numbers[0], CultureInfo.InvariantCulture));
        }
        else
        {
            foreach (var number in numbers)
            {
                if (number.Length <= 2 && day is null)
                {
                    day = int.Parse(number, CultureInfo.InvariantCulture);
                }
                else if (year is null)
                {
                    year = Year(number);
                }
            }
        }

        if (year is null || day is null)
        {
            return null;
        }

        // 12 AM is midnight and 12 PM noon.
        if (meridiem != 0 && hour is >= 1 and <= 12)
        {
            hour = hour % 12 + (meridiem > 0 ? 12 : 0);
        }

        return Build(year.Value, month.Value, day.Value, hour, minute, second, zone ?? 0, 0);
    }

    private static bool TryTime(string token, out int hour, out int minute, out int second, out int? zone)
    {
        hour = minute = second = 0;
        zone = null;
        var zoneAt = token.IndexOfAny(['+', '-', 'Z', 'z'], 1);
        var time = zoneAt > 0 ? token[..zoneAt] : token;
        if (zoneAt > 0)
        {
            zone = ZoneOffset(token[zoneAt..]);
        }

        var parts = time.Split(':');
        if (parts.Length < 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out hour)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out minute))
        {
            return false;
        }

        if (parts.Length > 2)
        {
            var secondsText = parts[2].Split('.', ',')[0];
            if (!int.TryParse(secondsText, CultureInfo.InvariantCulture, out second))
            {
                return false;
            }
        }

        return true;
    }

    private static int ZoneOffset(string zone)
    {
        if (ZoneMinutes.TryGetValue(zone, out var named))
        {
            return named;
        }

        if (zone.Length < 2 || zone[0] is not ('+' or '-'))
        {
            return 0;
        }

        var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
        if (!int.TryParse(digits, CultureInfo.InvariantCulture, out var value))
        {
            return 0;
        }

        var minutes = digits.Length <= 2 ? value * 60 : (value / 100 * 60) + (value % 100);
        return zone[0] == '-' ? -minutes : minutes;
    }

    /// <summary>RFC 822 military zones: A–I and K–M east (+1…+12), N–Y west (−1…−12), Z UTC.</summary>
    private static int MilitaryZone(char letter) => letter switch
    {
        >= 'A' and <= 'I' => (letter - 'A' + 1) * 60,
        >= 'K' and <= 'M' => (letter - 'K' + 10) * 60,
        >= 'N' and <= 'Y' => -(letter - 'N' + 1) * 60,
        _ => 0,
    };

    private static int Year(string digits)
    {
        var year = int.Parse(digits, CultureInfo.InvariantCulture);

        // RFC 2822 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx; three digits add 1900.
        return digits.Length switch
        {
            <= 2 => year < 50 ? 2000 + year : 1900 + year,
            3 => 1900 + year,
            _ => year,
        };
    }

    private static int Number(Group group) =>
        group.Success ? int.Parse(group.ValueSpan, CultureInfo.InvariantCulture) : 0;

    private static string DigitsPrefix(string token)
    {
        var end = 0;
        while (end < token.Length && char.IsAsciiDigit(token[end]))
        {
            end++;
        }

        return token[..end];
    }

    /// <summary>
    /// Decimal fraction digits of a second as ticks (100 ns), exactly: "123" is 1 230 000. Digits past the seventh are
    /// below a tick and dropped; going through a double would turn .123 into 1 229 999 ticks.
    /// </summary>
    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? (int)char.GetNumericValue(digits[i]) : 0);
        }

        return ticks;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, int zoneMinutes, long fractionTicks)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 24 || minute is < 0 or > 59 || second is < 0 or > 60 || Math.Abs(zoneMinutes) > 14 * 60)
        {
            return null;
        }

        // 24:00 is the end of the day and a leap second is read as the next second.
        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified)
            .AddHours(hour).AddMinutes(minute).AddSeconds(second).AddTicks(fractionTicks);
        return new DateTimeOffset(local, TimeSpan.FromMinutes(zoneMinutes)).ToUniversalTime();
    }

    private static Dictionary<string, int> BuildMonths()
    {
        var names = new[]
        {
            "jan january janv janvier januar enero ene gen gennaio janeiro jänner jän",
            "feb february fév févr février fevr februar febrero febbraio fevereiro fev",
            "mar march mars märz mär marzo março mrz",
            "apr april avr avril abril abr aprile",
            "may mai mayo mag maggio maio mei",
            "jun june juin juni junio giu giugno junho",
            "jul july juil juillet juli julio lug luglio julho",
            "aug august août aout agosto ago",
            "sep sept september septembre septiembre set settembre setembro",
            "oct october octobre oktober okt octubre ott ottobre outubro out",
            "nov november novembre noviembre novembro",
            "dec december déc décembre dezember dez diciembre dic dicembre dezembro",
        };
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var name in names[i].Split(' '))
            {
                months[name] = i + 1;
            }
        }

        return months;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-?(?<mo>\d{2})(?:-?(?<d>\d{2}))?)?(?:[T ]+(?<h>\d{1,2}):?(?<mi>\d{2})(?::?(?<s>\d{2})(?:[.,](?<f>\d+))?)?)?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|UT|[A-Z]{3,4})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"[\s,/]+|(?<=\d)-(?=[A-Za-z])|(?<=[A-Za-z])-(?=\d)|(?<=^\d{1,2})-(?=\d)|(?<=^\d{1,2}-\d{1,2})-(?=\d)")]
    private static partial Regex LooseSeparators();
}
