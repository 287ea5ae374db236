using System.Security.Cryptography;
using System.Text;
using JobServer.Engine;
using JobServer.Storage;

namespace JobServer.Jobs;

/// <summary>Turns a job type's concurrency limit and a job's arguments into the lease the job needs.</summary>
internal static class ConcurrencyKeys
{
    private const int MaxKeyLength = 200;

    /// <summary>The lease for <paramref name="args"/>, or null when the type has no limit. Keys are scoped by type
    /// name, so two types never share a key by accident.</summary>
    public static ConcurrencyRequest? For(JobType type, object args)
    {
        if (type.Options.Concurrency is not { } limit)
        {
            return null;
        }

        var key = limit.KeyOf(args);
        if (string.IsNullOrEmpty(key))
        {
            throw new JobValidationException("args", $"job type '{type.Name}' needs a concurrency key, and these arguments give none");
        }

        var scoped = $"{type.Name}:{key}";
        if (scoped.Length > MaxKeyLength || scoped.EndsWith(' '))
        {
            // Long keys stay distinct by hash; the readable prefix keeps them recognisable. So do keys ending in a space:
            // the key columns compare with PAD SPACE (utf8mb4_bin ignores trailing spaces in MySQL and MariaDB), so
            // "p1 " would otherwise take the lease of "p1".
            scoped = scoped[..Math.Min(scoped.Length, MaxKeyLength - 65)] + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scoped)));
        }

        return new ConcurrencyRequest(scoped, limit.Limit, limit.OverLimit == OverLimit.Wait);
    }
}
