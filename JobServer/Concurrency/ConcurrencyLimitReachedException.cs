namespace JobServer.Concurrency;

/// <summary>
/// A job was refused because its concurrency key already has as many jobs in flight as its limit allows. Nothing was
/// written. <see cref="Holders"/> are the ids of the jobs holding the key, for an answer such as HTTP 409.
/// <see cref="Hangfire.BackgroundJobClient"/> wraps it in a <see cref="Hangfire.BackgroundJobClientException"/>;
/// <see cref="FindIn"/> unwraps it.
/// </summary>
public sealed class ConcurrencyLimitReachedException(string key, IReadOnlyList<string> holders)
    : Exception($"Concurrency key '{key}' is held by job(s) {string.Join(", ", holders)}.")
{
    /// <summary>The key as the attribute resolved it from the job's arguments (not the storage's shortened form).</summary>
    public string Key { get; } = key;

    /// <summary>The jobs in flight with this key when creation was refused, oldest first by id order of the storage.</summary>
    public IReadOnlyList<string> Holders { get; } = holders;

    /// <summary>The refusal inside <paramref name="exception"/> (itself, an inner exception, or one of an aggregate's), or null.</summary>
    public static ConcurrencyLimitReachedException? FindIn(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ConcurrencyLimitReachedException refused) return refused;
            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindIn).FirstOrDefault(found => found is not null);
            }
        }
        return null;
    }
}
