namespace JobServer.Tests.Fuzz;

/// <summary>
/// Generated dashboard requests: the action forms (requeue, delete, recurring trigger/pause/resume/delete) with every
/// field hostile, posted with a valid antiforgery token, without one, or with a broken one; and the pages with garbage
/// route values and query strings. No generated form names an existing job or definition, so every action must be
/// refused: by the page itself (303 back with an error message) or, when the form cannot be read, with a 4xx.
/// </summary>
internal sealed class DashboardCases(Random random, string token, string definedRecurringId)
{
    public const string TokenField = "__RequestVerificationToken";

    private static readonly string[] JobActions = ["/dashboard/jobs/requeue", "/dashboard/jobs/delete"];

    private static readonly string[] RecurringActions = ["/dashboard/recurring/trigger", "/dashboard/recurring/pause", "/dashboard/recurring/resume", "/dashboard/recurring/delete"];

    // Ids of no job: the test database holds a handful of small ids, and a route or form reads " 1" or "01" as 1.
    private static readonly string[] NoSuchJobIds = ["0", "-1", "+5", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "18446744073709551616", "123456789012345", "1.0", "5\0", "", "١٢٣", "２"];

    private static readonly string[] ReturnAddresses =
    [
        "https://evil.example/", "//evil.example/dashboard", "/dashboard//evil.example", "/dashboard/../api/jobs", "/dashboard/%2e%2e/api/jobs",
        "/dashboard/./jobs", "/dashboard/..", "/dashboardx", "\\\\evil.example", "/dashboard\\..\\api", "javascript:alert(1)", "/dashboard/jobs/failed",
        "/dashboard?x=\r\nSet-Cookie:a=b",
    ];

    /// <summary>Action forms with a valid token and hostile fields.</summary>
    public IEnumerable<FuzzCase> Forms(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var recurring = random.Next(3) == 0;
            var url = HostileStrings.Pick(random, recurring ? RecurringActions : JobActions);
            var (fields, label) = recurring ? RecurringFields() : JobFields();
            fields.Add(new(TokenField, token));
            // The two ten-megabyte forms come first, one of each encoding, so their cost does not vary with the seed.
            var multipart = i < 2 ? i == 1 : random.Next(4) == 0;
            var (extraLabel, expected) = AddHostileExtras(fields, multipart, tenMegabytes: i < 2);
            var (body, contentType) = FormBody.Encode(Shuffle(fields), multipart);
            yield return new FuzzCase(label + extraLabel, HttpMethod.Post, url, Unreadable(fields, multipart) ? Outcome.Refused : expected) { Body = body, ContentType = contentType };
        }
    }

    /// <summary>Forms whose token is missing, wrong or misplaced, and a valid header token with a body that is no form.</summary>
    public IEnumerable<FuzzCase> TokenProblems(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var url = HostileStrings.Pick(random, [.. JobActions, .. RecurringActions]);
            var (fields, label) = random.Next(2) == 0 ? JobFields() : RecurringFields();
            var roll = random.Next(6);
            var (tokenLabel, headers, expected) = roll switch
            {
                0 => ("no token", NoHeaders, Outcome.Refused),
                1 => Add(fields, TokenField, HostileStrings.Next(random).Text, "hostile token", Outcome.Refused),
                2 => LookAlikeTokenName(fields),
                3 => Add(fields, TokenField, token[..^2] + (token[^1] == 'A' ? "BB" : "AA"), "altered token", Outcome.Refused),
                4 => ("valid token in the header", Header(), Outcome.RedirectedWithError),
                _ => ("valid token in the header, body no form", Header(), Outcome.Refused),
            };
            var multipart = random.Next(4) == 0;
            var (body, contentType) = roll == 5 ? NotAForm() : FormBody.Encode(fields, multipart);
            expected = Unreadable(fields, multipart) ? Outcome.Refused : expected;
            yield return new FuzzCase($"{tokenLabel}; {label}", HttpMethod.Post, url, expected) { Body = body, ContentType = contentType, Headers = headers };
        }
    }

    private (List<KeyValuePair<string, string>> Fields, string Label) JobFields()
    {
        var fields = new List<KeyValuePair<string, string>>();
        var roll = random.Next(10);
        var count = roll == 0 ? random.Next(101, 300) : random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var id = roll == 0 || random.Next(2) == 0 ? $"{random.NextInt64(1_000_000_000_000, long.MaxValue)}" : HostileId();
            fields.Add(new("ids", id));
        }

        return (fields, count == 0 ? "no ids" : $"{count} ids, first {BodyModel.Excerpt(fields[0].Value, 40)}");
    }

    private (List<KeyValuePair<string, string>> Fields, string Label) RecurringFields()
    {
        var (id, @class) = random.Next(4) == 0 ? HostileStrings.NearMiss(random, definedRecurringId) : HostileStrings.Next(random);
        return ([new("id", id)], $"recurring id ← {@class} {BodyModel.Excerpt(id, 40)}");
    }

    /// <summary>ASP.NET Core's URL-encoded form reader refuses a NUL anywhere (decoded from %00), so the whole form is
    /// unreadable and the request a 4xx; the multipart reader takes it and leaves the judging to the page.</summary>
    private static bool Unreadable(List<KeyValuePair<string, string>> fields, bool multipart) =>
        !multipart && fields.Any(f => f.Key.Contains('\0') || f.Value.Contains('\0'));

    private string HostileId() => random.Next(2) == 0 ? HostileStrings.Pick(random, NoSuchJobIds) : HostileStrings.Next(random).Text;

    /// <summary>A return address (hostile or not), sometimes an unknown field, sometimes what no server should read:
    /// ten megabytes in one value, two thousand fields, a name of three thousand characters. The URL-encoded form
    /// reader refuses all three (a 4xx); the multipart reader only counts fields.</summary>
    private (string Label, Outcome Expected) AddHostileExtras(List<KeyValuePair<string, string>> fields, bool multipart, bool tenMegabytes)
    {
        var label = "";
        if (random.Next(2) == 0)
        {
            var returnUrl = random.Next(2) == 0 ? HostileStrings.Pick(random, ReturnAddresses) : HostileStrings.Next(random).Text;
            fields.Add(new("returnUrl", returnUrl));
            label += $"; returnUrl {BodyModel.Excerpt(returnUrl, 40)}";
        }

        var tooLarge = multipart ? Outcome.RedirectedWithError : Outcome.Refused;
        switch (tenMegabytes ? 0 : random.Next(1, 40))
        {
            case 0:
                fields.Add(new("note", new string('x', 10 * 1024 * 1024)));
                return (label + "; a 10 MB value", tooLarge);
            case 1:
                fields.AddRange(Enumerable.Range(0, 2_000).Select(i => KeyValuePair.Create($"f{i}", "x")));
                return (label + "; 2,000 fields", Outcome.Refused);
            case 2:
                fields.Add(new(new string('k', 3_000), "x"));
                return (label + "; a 3,000-character name", tooLarge);
            case < 12:
                var (name, @class) = HostileStrings.Next(random);
                fields.Add(new(name.Length > 200 ? name[..200] : name, HostileStrings.Next(random).Text));
                return (label + $"; unknown field {@class}", Outcome.RedirectedWithError);
            default:
                return (label, Outcome.RedirectedWithError);
        }
    }

    private List<KeyValuePair<string, string>> Shuffle(List<KeyValuePair<string, string>> fields) => [.. fields.OrderBy(_ => random.Next())];

    /// <summary>The token under a name that is almost its own. Form field names compare ignoring case, so another
    /// case is the same field and the form goes through.</summary>
    private (string, IReadOnlyList<KeyValuePair<string, string>>, Outcome) LookAlikeTokenName(List<KeyValuePair<string, string>> fields)
    {
        var (name, @class) = HostileStrings.NearMiss(random, TokenField);
        return Add(fields, name, token, $"token under a look-alike name ({@class})", @class == "other-case" ? Outcome.RedirectedWithError : Outcome.Refused);
    }

    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoHeaders = [];

    private IReadOnlyList<KeyValuePair<string, string>> Header() => [new("RequestVerificationToken", token)];

    private static (string, IReadOnlyList<KeyValuePair<string, string>>, Outcome) Add(
        List<KeyValuePair<string, string>> fields, string name, string value, string label, Outcome expected)
    {
        fields.Add(new(name, value));
        return (label, NoHeaders, expected);
    }

    private (byte[] Body, string? ContentType) NotAForm() => random.Next(3) switch
    {
        0 => ("{\"ids\":[1]}"u8.ToArray(), "application/json"),
        1 => ([], null),
        _ => ("ids=1&ids=2"u8.ToArray(), "text/plain"),
    };
}
