using System.Text.RegularExpressions;

namespace JobServer.Engine;

public static partial class QueueName
{
    public const string Pattern = "^[a-z0-9_-]{1,50}$";

    public static bool IsValid(string? name) => name is not null && Valid().IsMatch(name);

    [GeneratedRegex(Pattern)]
    private static partial Regex Valid();
}
