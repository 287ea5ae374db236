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
public static partial class JobArguments
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
        var args = Read(type, json);
        return (args, JsonSerializer.Serialize(args, type.ArgsType, SerializerOptions));
    }

    /// <summary>Parses and validates stored arguments for a run; no canonical JSON, which only creation needs.</summary>
    /// <exception cref="JobValidationException">The arguments are malformed or invalid; names the field.</exception>
    public static object Read(JobType type, string? json)
    {
        object? args;
        try
        {
            args = JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(json) ? "{}" : json, type.ArgsType, SerializerOptions);
        }
        catch (JsonException ex)
        {
            var (field, reason) = Explain(ex);
            throw new JobValidationException(field, reason);
        }

        if (args is null)
        {
            throw new JobValidationException("args", "must be a JSON object");
        }

        Validate(args);
        return args;
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
        // Attribute by attribute rather than Validator.TryValidateObject, so messages speak JSON ("must be between 1
        // and 10000000"), not C# ("The field Rows must be…").
        foreach (var (property, attributes) in ValidatedProperties.GetOrAdd(args.GetType(), FindValidatedProperties))
        {
            var value = property.GetValue(args);
            foreach (var attribute in attributes)
            {
                if (!attribute.IsValid(value))
                {
                    throw new JobValidationException("args." + JsonNamingPolicy.CamelCase.ConvertName(property.Name), Describe(attribute));
                }
            }
        }

        if (args is IValidatableObject validatable)
        {
            var first = validatable.Validate(new ValidationContext(args)).FirstOrDefault();
            if (first is not null)
            {
                var member = first.MemberNames.FirstOrDefault();
                throw new JobValidationException(member is null ? "args" : "args." + JsonNamingPolicy.CamelCase.ConvertName(member), first.ErrorMessage ?? "is invalid");
            }
        }
    }

    // Reflection once per argument type, not once per job run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (System.Reflection.PropertyInfo Property, ValidationAttribute[] Attributes)[]> ValidatedProperties = new();

    private static (System.Reflection.PropertyInfo, ValidationAttribute[])[] FindValidatedProperties(Type type) =>
        type.GetProperties()
            .Select(p => (p, p.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>().ToArray()))
            .Where(p => p.Item2.Length > 0)
            .ToArray();

    private static string Describe(ValidationAttribute attribute) => attribute switch
    {
        _ when attribute.ErrorMessage is { Length: > 0 } custom => custom,
        RangeAttribute range => $"must be between {range.Minimum} and {range.Maximum}",
        StringLengthAttribute length => $"must be {length.MinimumLength}-{length.MaximumLength} characters",
        RequiredAttribute => "is required",
        MinLengthAttribute min => $"must have at least {min.Length} item(s)",
        MaxLengthAttribute max => $"must have at most {max.Length} item(s)",
        _ => "is invalid",
    };

    private static (string Field, string Reason) Explain(JsonException ex)
    {
        var including = ex.Message.IndexOf("missing required properties including:", StringComparison.Ordinal);
        if (including >= 0 && QuotedName().Match(ex.Message, including) is { Success: true } missing)
        {
            return ("args." + missing.Groups[1].Value, "is required");
        }

        var quoted = QuotedName().Match(ex.Message);

        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) && quoted.Success)
        {
            return ("args." + quoted.Groups[1].Value, "is not a known argument");
        }

        return (FieldOf(ex.Path), Describe(ex));
    }

    [System.Text.RegularExpressions.GeneratedRegex("'([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex QuotedName();

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
        // System.Text.Json's messages name CLR types and positions; say what a client can act on.
        var message = ex.Message;
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return message switch
            {
                _ when message.Contains("System.Int", StringComparison.Ordinal) => "must be a whole number (in range)",
                _ when message.Contains("System.Double", StringComparison.Ordinal) || message.Contains("System.Decimal", StringComparison.Ordinal) => "must be a number",
                _ when message.Contains("System.String", StringComparison.Ordinal) => "must be a string",
                _ when message.Contains("System.Boolean", StringComparison.Ordinal) => "must be true or false",
                _ when message.Contains("[]", StringComparison.Ordinal) || message.Contains("List", StringComparison.Ordinal) => "must be an array",
                _ => "has the wrong type",
            };
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
