using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// MariaDB 10.6+ reports its 3-byte UTF-8 charset as <c>utf8mb3</c>, a name MySql.Data 8.0.16 does not know:
/// any result whose column metadata carries it (SHOW, information_schema, and the SHOW WARNINGS the driver
/// issues by itself after a warning) throws <see cref="NotSupportedException"/>. Teaching the driver's private
/// charset map the alias is the only fix that needs no newer driver. Idempotent and thread-safe.
/// </summary>
internal static class MySqlCharsetShim
{
    private static readonly Lock Gate = new();
    private static bool _installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            var mapping = GetCharsetMapping();
            if (!mapping.Contains("utf8mb3") && mapping.Contains("utf8"))
            {
                mapping["utf8mb3"] = mapping["utf8"];
            }

            _installed = true;
        }
    }

    /// <summary>Removes the alias again; exists so a test can prove the shim is what makes MariaDB readable.</summary>
    internal static void UninstallForTest()
    {
        lock (Gate)
        {
            GetCharsetMapping().Remove("utf8mb3");
            _installed = false;
        }
    }

    private static IDictionary GetCharsetMapping()
    {
        var mapType = typeof(MySqlConnection).Assembly.GetType("MySql.Data.MySqlClient.CharSetMap")
            ?? throw new InvalidOperationException("MySql.Data no longer has CharSetMap; the utf8mb3 shim needs updating.");
        RuntimeHelpers.RunClassConstructor(mapType.TypeHandle);
        var field = mapType.GetField("_mapping", BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("MySql.Data's CharSetMap has no _mapping field; the utf8mb3 shim needs updating.");
        return (IDictionary)field.GetValue(null)!;
    }
}
