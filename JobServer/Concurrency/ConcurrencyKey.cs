using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace JobServer.Concurrency;

/// <summary>
/// A resolved concurrency key and the storage names derived from it: the Hangfire set of holders, the set of waiters
/// (scored by ticket), the hash that hands out tickets, and the distributed-lock resource that serializes all of them.
/// </summary>
internal sealed class ConcurrencyKey
{
    // Storage keys stay far below hf_set's VARCHAR(100) with the longest suffix, and GET_LOCK's 64 characters are the
    // storage's concern (it hashes long lock names itself).
    private const int MaxStoredLength = 64;
    private const string Prefix = "concurrency:";

    private ConcurrencyKey(string name)
    {
        Name = name;
        var stored = Stored(name);
        Holders = Prefix + stored;
        Waiting = Prefix + stored + ":waiting";
        Line = Prefix + stored + ":line";
        LockResource = Prefix + stored;
    }

    /// <summary>The key as resolved from the template: what errors and state data show.</summary>
    public string Name { get; }

    /// <summary>Set of the ids of the jobs in flight (Enqueued, Scheduled, Processing) holding a slot.</summary>
    public string Holders { get; }

    /// <summary>Set of the ids of the jobs waiting for a slot, scored by their ticket: lowest runs first.</summary>
    public string Waiting { get; }

    /// <summary>Hash whose <c>next</c> field is the next ticket; removed when the line is empty.</summary>
    public string Line { get; }

    /// <summary>The distributed lock every reader-and-writer of this key's slots holds until its transaction ends.</summary>
    public string LockResource { get; }

    /// <summary>
    /// Resolves <paramref name="template"/> against the job's arguments: <c>{0}</c> is the first argument,
    /// <c>{0.Project}</c> a public property of it; <c>{{</c> and <c>}}</c> are literal braces.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template is malformed or names a missing argument or property,
    /// or the key comes out empty.</exception>
    public static ConcurrencyKey Resolve(string template, IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(template);
        var key = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                key.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i);
                if (end < 0) throw new InvalidOperationException($"Concurrency key template '{template}' has an unclosed '{{'.");
                key.Append(Placeholder(template, template[(i + 1)..end], args));
                i = end;
            }
            else if (c == '}')
            {
                throw new InvalidOperationException($"Concurrency key template '{template}' has an unmatched '}}'.");
            }
            else
            {
                key.Append(c);
            }
        }

        if (key.Length == 0) throw new InvalidOperationException($"Concurrency key template '{template}' gave an empty key for these arguments.");
        return new ConcurrencyKey(key.ToString());
    }

    private static string Placeholder(string template, string placeholder, IReadOnlyList<object?> args)
    {
        var path = placeholder.Split('.');
        if (!int.TryParse(path[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= args.Count)
        {
            throw new InvalidOperationException($"Concurrency key template '{template}' names argument '{path[0]}', and the job has {args.Count}.");
        }

        var value = args[index];
        foreach (var property in path.Skip(1))
        {
            var info = value?.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"Concurrency key template '{template}': '{placeholder}' has no public property '{property}'.");
            value = info.GetValue(value);
        }

        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(text)) throw new InvalidOperationException($"Concurrency key template '{template}': '{placeholder}' is empty for this job.");
        return text;
    }

    /// <summary>
    /// Keys of plain characters are stored as they are, so the dashboard's sets page reads them. Others keep a readable
    /// head and end in a hash of the whole key: long keys would not fit, and MySQL's PAD SPACE collations would make
    /// "p1 " (or a key ending in a control character) the same set as "p1".
    /// </summary>
    private static string Stored(string name)
    {
        if (name.Length <= MaxStoredLength && name.All(Plain)) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..32];
        var head = new string(name.Take(MaxStoredLength - hash.Length - 1).Select(c => Plain(c) ? c : '_').ToArray());
        return head + "#" + hash;
    }

    private static bool Plain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@';
}
