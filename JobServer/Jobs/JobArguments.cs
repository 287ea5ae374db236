using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using JobServer.Engine;

namespace JobServer.Jobs;

/// <summary>
/// Turns stored or submitted JSON into a job type's typed arguments and back. Strict on purpose: unknown fields,
/// numbers sent as strings and missing required fields are errors naming the field, and DataAnnotations on the
/// argument type are enforced, so a job that was accepted can always be run.
/// </summary>
public static class JobArguments
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 32,
    };

    /// <summary>Parses and validates; returns the typed arguments and their canonical JSON.</summary>
    /// <exception cref="JobValidationException">The arguments are malformed or invalid; names the field.</exception>
    public static (object Args, string Json) Parse(JobType type, string? json)
    {
        object? args;
        try
        {
            args = JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(json) ? "{}" : json, type.ArgsType, SerializerOptions);
        }
        catch (JsonException ex)
        {
            throw new JobValidationException(FieldOf(ex.Path), Describe(ex));
        }

        if (args is null)
        {
            throw new JobValidationException("args", "must be a JSON object");
        }

        Validate(args);
        return (args, JsonSerializer.Serialize(args, type.ArgsType, SerializerOptions));
    }

    /// <summary>Serializes typed arguments passed in code, then parses them like submitted JSON.</summary>
    public static (object Args, string Json) FromObject(JobType type, object? args)
    {
        if (args is not null && !type.ArgsType.IsInstanceOfType(args))
        {
            throw new JobValidationException("args", $"job type '{type.Name}' takes {type.ArgsType.Name}, not {args.GetType().Name}");
        }

        return Parse(type, args is null ? null : JsonSerializer.Serialize(args, type.ArgsType, SerializerOptions));
    }

    private static void Validate(object args)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(args, new ValidationContext(args), results, validateAllProperties: true))
        {
            return;
        }

        var first = results[0];
        var member = first.MemberNames.FirstOrDefault();
        throw new JobValidationException(member is null ? "args" : "args." + JsonNamingPolicy.CamelCase.ConvertName(member), first.ErrorMessage ?? "is invalid");
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "args";
        }

        return "args" + path.TrimStart('$');
    }

    private static string Describe(JsonException ex)
    {
        // System.Text.Json's messages name CLR types and line numbers; keep the part a client can act on.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
