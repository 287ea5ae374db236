namespace JobServer.Storage;

/// <summary>A job was refused because its concurrency key already has as many jobs in flight as its limit allows.
/// Nothing was written. <see cref="Holders"/> are the jobs holding the key.</summary>
public sealed class ConcurrencyLimitReachedException(string key, IReadOnlyList<long> holders)
    : Exception($"Concurrency key '{key}' is held by job(s) {string.Join(", ", holders)}.")
{
    public string Key { get; } = key;

    public IReadOnlyList<long> Holders { get; } = holders;
}
