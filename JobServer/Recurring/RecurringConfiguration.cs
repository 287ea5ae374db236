using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using JobServer.Hosting;
using Microsoft.Extensions.Options;

namespace JobServer.Recurring;

/// <summary>
/// The recurring jobs written in configuration, <c>JobServer:Recurring:{id}</c>, each with <c>Cron</c>, <c>Type</c>
/// (a registered job type), <c>Args</c> (an object, see <see cref="ConfigurationJson"/>), <c>TimeZone</c> (default
/// UTC), <c>Queue</c> and <c>MisfireHandling</c> (Relaxed, Strict or Ignorable). Checked when the host starts, before
/// it needs the database: a bad definition stops the start with its key named.
/// </summary>
public sealed partial class RecurringConfiguration
{
    public const string SectionName = "JobServer:Recurring";

    private static readonly string[] KnownKeys = ["Cron", "Type", "Args", "TimeZone", "Queue", "MisfireHandling"];

    public List<RecurringDefinition> Definitions { get; } = [];

    /// <summary>Settings that are no part of a definition (a misspelt key), as configuration keys.</summary>
    public List<string> UnknownKeys { get; } = [];

    internal void Load(IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            var args = child.GetSection("Args");
            Definitions.Add(new RecurringDefinition(
                child.Key,
                child["Cron"],
                child["Type"],
                args.Exists() ? JsonSerializer.Deserialize<JsonElement>(ConfigurationJson.ToJson(args)) : default,
                child["TimeZone"],
                child["Queue"],
                child["MisfireHandling"]));
            UnknownKeys.AddRange(child.GetChildren().Where(c => !KnownKeys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).Select(c => c.Path));
        }
    }

    /// <summary>Every definition checked: the valid ones, and a problem per key at fault.</summary>
    public (IReadOnlyList<ValidRecurringDefinition> Valid, IReadOnlyList<string> Problems) Check(ITimeZoneResolver timeZones)
    {
        var valid = new List<ValidRecurringDefinition>();
        var problems = UnknownKeys.Select(key => $"{key} is not a setting of a recurring job (known: {string.Join(", ", KnownKeys)}).").ToList();
        foreach (var definition in Definitions)
        {
            if (definition.TryValidate(timeZones, out var ok, out var errors))
            {
                valid.Add(ok);
                continue;
            }

            problems.AddRange(errors.Select(e => $"{KeyOf(definition.Id, e.Field)} {e.Message}."));
        }

        return (valid, problems);
    }

    /// <summary>The configuration key of an API field: <c>cron</c> → <c>…:daily-report:Cron</c>, <c>args.urls[2]</c> →
    /// <c>…:Args:urls:2</c>.</summary>
    private static string KeyOf(string id, string field)
    {
        var prefix = $"{SectionName}:{id}";
        return field switch
        {
            "id" => prefix,
            "misfire" => $"{prefix}:MisfireHandling",
            "args" => $"{prefix}:Args",
            _ when field.StartsWith("args.", StringComparison.Ordinal) => $"{prefix}:Args:{Index().Replace(field["args.".Length..], ":$1").Replace('.', ':')}",
            _ => $"{prefix}:{char.ToUpperInvariant(field[0])}{field[1..]}",
        };
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Index();

    /// <summary>The start-up check (<c>ValidateOnStart</c>).</summary>
    internal sealed class Validation(ITimeZoneResolver timeZones) : IValidateOptions<RecurringConfiguration>
    {
        public ValidateOptionsResult Validate(string? name, RecurringConfiguration options)
        {
            var problems = options.Check(timeZones).Problems;
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
