using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Recurring;

/// <summary>The recurring-job calls and facts the tests need on the way to what they check; each call asserts the
/// status it needs to go on.</summary>
internal static class RecurringTestKit
{
    /// <summary>A fresh id, so tests sharing a database never see each other's definitions.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string Path(string id, string? action = null) => $"/api/recurring/{Uri.EscapeDataString(id)}" + (action is null ? "" : "/" + action);

    public static async Task<JsonElement> PutRecurringAsync(this HttpClient client, string id, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PutAsync(Path(id), Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"PUT {id}: expected {expected}, got {response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static Task<JsonElement> GetRecurringAsync(this HttpClient client, string id) => client.GetFromJsonAsync<JsonElement>(Path(id));

    public static async Task<JsonElement> PostRecurringAsync(this HttpClient client, string id, string action, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsync(Path(id, action), null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {id}/{action}: expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static StringContent Json(object body) =>
        new(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static long? LastJobId(JsonElement view) =>
        view.GetProperty("lastJobId") is { ValueKind: JsonValueKind.Number } id ? id.GetInt64() : null;

    /// <summary>Every job Hangfire created for <paramref name="recurringId"/>, with the occurrence it was created for
    /// (Hangfire's job parameters <c>RecurringJobId</c> and <c>Time</c>, a Unix timestamp), oldest first.</summary>
    public static List<(long JobId, long Time)> JobsOf(TestDatabase database, string recurringId)
    {
        using var connection = database.Open();
        return connection.Query<(long, string)>(
                """
                SELECT r.job_id, t.value FROM hf_job_parameter r
                JOIN hf_job_parameter t ON t.job_id = r.job_id AND t.name = 'Time'
                WHERE r.name = 'RecurringJobId' AND r.value = @value
                ORDER BY r.job_id
                """, new { value = JsonSerializer.Serialize(recurringId) })
            .Select(row => (row.Item1, long.Parse(row.Item2.Trim('"'), CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Rows of Hangfire's recurring-jobs set and hashes: what a refused request must leave unchanged.</summary>
    public static (long Ids, long Fields) CountRecurringRows(TestDatabase database)
    {
        using var connection = database.Open();
        return connection.QuerySingle<(long, long)>(
            "SELECT (SELECT COUNT(*) FROM hf_set WHERE `key` = 'recurring-jobs'), (SELECT COUNT(*) FROM hf_hash WHERE `key` LIKE 'recurring-job:%')");
    }

    public static List<DateTime> UtcTimes(JsonElement array) =>
        array.EnumerateArray().Select(e =>
        {
            var text = e.GetString()!;
            Assert.EndsWith("Z", text);
            return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }).ToList();
}
