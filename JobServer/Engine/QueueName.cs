using System.Text.RegularExpressions;

namespace JobServer.Engine;

public static partial class QueueName
{
    // \z, not $: $ also matches before a trailing newline ("default\n" is not a queue).
    public const string Pattern = @"^[a-z0-9_-]{1,50}\z";

    public static bool IsValid(string? name) => name is not null && Valid().IsMatch(name);

    [GeneratedRegex(Pattern)]
    private static partial Regex Valid();
}
