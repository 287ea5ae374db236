namespace JobServer.Jobs;

/// <summary>What happens to a new job whose key already has <see cref="ConcurrencyLimit.Limit"/> jobs in flight.</summary>
public enum OverLimit
{
    /// <summary>Refused at creation (HTTP 409 naming the job that holds the key); nothing is written.</summary>
    Reject,

    /// <summary>Accepted as Awaiting, and run when a lease frees up, in creation order. Waiting never fails it.</summary>
    Wait,
}

/// <summary>
/// At most <see cref="Limit"/> jobs of a type with the same key (taken from their arguments) are in flight at once —
/// Enqueued, Scheduled or Processing — across all servers. The lease is held from creation to the final state, so it
/// also holds through retries and server deaths, and is given back however the job ends.
/// </summary>
public sealed class ConcurrencyLimit
{
    internal ConcurrencyLimit(Type argsType, Func<object, string> keyOf, int limit, OverLimit overLimit)
    {
        ArgsType = argsType;
        KeyOf = keyOf;
        Limit = limit;
        OverLimit = overLimit;
    }

    public Type ArgsType { get; }

    public Func<object, string> KeyOf { get; }

    public int Limit { get; }

    public OverLimit OverLimit { get; }
}
