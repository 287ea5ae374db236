using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobServer.Tests.Api;

internal static partial class ApiAssert
{
    /// <summary>An RFC 7807 answer: the status, <c>application/problem+json</c>, and the status repeated in the body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The problem names exactly this field, in <c>errors</c> and at the start of <c>detail</c>.</summary>
    public static void NamesField(JsonElement problem, string field)
    {
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString());
    }

    /// <summary>The property is a UTC ISO-8601 time ending in Z; returns it.</summary>
    public static DateTime UtcTime(JsonElement element, string name)
    {
        var text = element.GetProperty(name).GetString()!;
        Assert.Matches(UtcIso8601(), text);
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcIso8601();
}
