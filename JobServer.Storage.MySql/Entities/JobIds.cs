using System.Globalization;

namespace JobServer.Storage.MySql.Entities;

/// <summary>Hangfire passes job ids as strings; ours are BIGINTs. An id that is not one names no job.</summary>
internal static class JobIds
{
    public static bool TryParse(string? id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
