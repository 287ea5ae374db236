using System.Globalization;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Generated posts of the dashboard's Bulk inserts form (<c>rows</c>, <c>project</c>, <c>chunkSize</c>, the token in the
/// hidden field), judged by the form's rules: rows and chunk size are whole numbers once trimmed (chunk size may be
/// empty), the project 1-64 characters as typed. Valid: 303 back to the page and a job started, or 409 when the
/// project already has one in flight; otherwise 422 with an error at each field at fault and nothing started.
/// </summary>
internal sealed class BulkInsertFormCases(Random random, string tokenField, string token, HeldProjects projects)
{
    public const string Url = FuzzFixture.Dashboard + "/bulk-inserts";

    public IEnumerable<FuzzCase> Next(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (rows, rowsClass) = Number(HostileStrings.Pick(random, ["1", "10", "+7", " 25 ", "10000000"]), 1, 10_000_000);
            var (project, projectClass) = random.Next(4) == 0 ? HostileStrings.Next(random) : projects.Next(random, "Form");
            var (chunkSize, chunkClass) = random.Next(3) == 0 ? ("", "empty") : Number(HostileStrings.Pick(random, ["1000", "1000000", "5000"]), 1_000, 1_000_000);
            var fields = new List<KeyValuePair<string, string>>();
            if (random.Next(12) != 0) fields.Add(new("rows", rows));
            if (random.Next(12) != 0) fields.Add(new("project", project));
            if (random.Next(3) != 0) fields.Add(new("chunkSize", chunkSize));
            if (random.Next(5) == 0)
            {
                var (name, @class) = HostileStrings.Next(random);
                fields.Add(new(name.Length > 200 ? name[..200] : name, HostileStrings.Next(random).Text));
            }

            fields.Add(new(tokenField, token));
            var sent = fields.ToDictionary(f => f.Key, f => UrlText.Decoded(f.Value), StringComparer.OrdinalIgnoreCase);
            var faults = new List<string>();
            if (!IsNumber(sent.GetValueOrDefault("rows", ""), 1, 10_000_000)) faults.Add("rows");
            var sentProject = sent.GetValueOrDefault("project", "");
            if (sentProject.Length is < 1 or > 64) faults.Add("project");
            var sentChunk = sent.GetValueOrDefault("chunkSize", "").Trim();
            if (sentChunk.Length > 0 && !IsNumber(sentChunk, 1_000, 1_000_000)) faults.Add("chunkSize");

            // ASP.NET Core's URL-encoded form reader refuses a NUL anywhere (400); the multipart reader takes it as text.
            var multipart = random.Next(4) == 0;
            var unreadable = !multipart && fields.Any(f => f.Key.Contains('\0') || f.Value.Contains('\0'));
            var expected = unreadable ? Outcome.Refused
                : faults.Count > 0 ? Outcome.FieldErrors
                : projects.Take([sentProject]) == Outcome.Accepted ? Outcome.Started : Outcome.Conflict;
            var (body, contentType) = FormBody.Encode(fields.OrderBy(_ => random.Next()), multipart);
            var label = $"rows {rowsClass} {BodyModel.Excerpt(rows, 30)}, project {projectClass} {BodyModel.Excerpt(project, 30)}, chunkSize {chunkClass} {BodyModel.Excerpt(chunkSize, 30)}{(multipart ? " (multipart)" : "")}";
            yield return new FuzzCase(label, HttpMethod.Post, Url, expected) { Body = body, ContentType = contentType, Faults = faults };
        }
    }

    /// <summary>The form's number rule: trimmed, an optional sign, ASCII digits, in range.</summary>
    private static bool IsNumber(string text, long min, long max) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max;

    private (string Text, string Class) Number(string valid, long min, long max) => random.Next(3) switch
    {
        0 => (valid, "valid"),
        1 => HostileStrings.Pick(random, (IReadOnlyList<(string, string)>)
        [
            ($"{min - 1}", "below-min"), ($"{max + 1}", "above-max"), ($"{min}.0", "decimal"), ($"{max}e0", "exponent"), ("-0", "negative-zero"),
            ("99999999999999999999", "overflow"), ($"{min:N0}", "thousands-separator"), ("\u00A0" + min + "\u2028", "unicode-space"), ("", "empty"),
        ]),
        _ => HostileStrings.Next(random),
    };
}
