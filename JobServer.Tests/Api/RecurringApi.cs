using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace JobServer.Tests.Api;

/// <summary>The recurring-job calls tests make on the way to what they check; each asserts the answer it needs to go on.</summary>
internal static class RecurringApi
{
    /// <summary>A fresh id, so tests sharing a database never see each other's definitions.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<JsonElement> PutRecurringAsync(this HttpClient client, string id, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PutAsJsonAsync($"/api/recurring/{Uri.EscapeDataString(id)}", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<JsonElement> GetRecurringAsync(this HttpClient client, string id) =>
        client.GetFromJsonAsync<JsonElement>($"/api/recurring/{Uri.EscapeDataString(id)}");

    public static async Task<JsonElement> SteerRecurringAsync(this HttpClient client, string id, string action)
    {
        using var response = await client.PostAsync($"/api/recurring/{Uri.EscapeDataString(id)}/{action}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task DeleteRecurringAsync(this HttpClient client, string id)
    {
        using var response = await client.DeleteAsync($"/api/recurring/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public static Task<JsonElement> UntilRecurringAsync(this HttpClient client, string id, Func<JsonElement, bool> done, string what) =>
        ApiFactory.UntilAsync(() => client.GetRecurringAsync(id), done, $"recurring job '{id}' {what}");

    public static long? LastJobId(JsonElement definition) =>
        definition.GetProperty("lastJobId") is { ValueKind: JsonValueKind.Number } id ? id.GetInt64() : null;

    /// <summary>The occurrences fired for <paramref name="id"/>: one js_recurring_run row each (triggers included).</summary>
    public static long RunCount(this ApiFixture fixture, string id)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_recurring_run WHERE recurring_id = @id", new { id });
    }

    public static long CountDefinitions(this ApiFixture fixture)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_recurring");
    }

    /// <summary>Every element of <paramref name="array"/> is a UTC ISO-8601 time ending in Z; returns them.</summary>
    public static List<DateTime> UtcTimes(JsonElement array) =>
        array.EnumerateArray().Select(e =>
        {
            var text = e.GetString()!;
            Assert.EndsWith("Z", text);
            var time = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            Assert.Equal(DateTimeKind.Utc, time.Kind);
            return time;
        }).ToList();
}
