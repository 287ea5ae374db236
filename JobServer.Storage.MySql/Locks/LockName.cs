using System.Security.Cryptography;
using System.Text;

namespace JobServer.Storage.MySql.Locks;

/// <summary>
/// GET_LOCK names are global to the MySQL server, not to a database, so each name carries the database's; MySQL
/// refuses names over 64 characters, so longer ones keep a readable head and end in a hash of the whole.
/// </summary>
internal static class LockName
{
    public const int MaxLength = 64;

    public static string For(string database, string resource)
    {
        var name = $"{database}:{resource}";
        if (name.Length <= MaxLength) return name;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..40];
        return $"{name[..(MaxLength - hash.Length - 1)]}#{hash}";
    }
}
