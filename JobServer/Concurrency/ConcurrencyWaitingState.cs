using System.Globalization;
using Hangfire.Common;
using Hangfire.States;

namespace JobServer.Concurrency;

/// <summary>
/// A job waiting for a slot of its concurrency key. Its name is Hangfire's <c>Awaiting</c>, so the dashboard counts and
/// lists it with the awaiting jobs and its history shows "Next State" and, under "Options", the key it waits for. It
/// is not an <see cref="AwaitingState"/>, so Hangfire's continuations leave it alone: only a freed slot moves it on.
/// </summary>
public sealed class ConcurrencyWaitingState : IState
{
    internal const string KeyField = "ConcurrencyKey";
    internal const string NextStateField = "NextState";

    internal ConcurrencyWaitingState(string key, int limit, IState nextState, IReadOnlyCollection<string> holders)
    {
        Key = key;
        Limit = limit;
        NextState = nextState;
        Reason = holders.Count == 0
            ? $"Waiting for concurrency key '{key}' behind earlier waiting jobs"
            : $"Waiting for concurrency key '{key}', held by job(s) {string.Join(", ", holders)}";
    }

    /// <summary>The key the job waits for.</summary>
    public string Key { get; }

    /// <summary>How many jobs with the key may be in flight.</summary>
    public int Limit { get; }

    /// <summary>The state the job enters when a slot frees: the Enqueued or Scheduled state it was created or requeued with.</summary>
    public IState NextState { get; }

    public string Name => AwaitingState.StateName;

    public string Reason { get; }

    public bool IsFinal => false;

    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new()
    {
        // The field names Hangfire's Awaiting renderer shows: NextState as a state label, Options as text.
        [NextStateField] = SerializationHelper.Serialize(NextState, SerializationOption.TypedInternal),
        ["Options"] = string.Create(CultureInfo.InvariantCulture, $"Concurrency key '{Key}', limit {Limit}"),
        [KeyField] = Key,
    };

    /// <summary>The next state stored by <see cref="SerializeData"/>, if <paramref name="data"/> is this key's waiting state.</summary>
    internal static IState? NextStateOf(string stateName, IDictionary<string, string>? data, string key)
    {
        if (stateName != AwaitingState.StateName || data is null) return null;
        if (!data.TryGetValue(KeyField, out var waitsFor) || waitsFor != key) return null;
        return data.TryGetValue(NextStateField, out var next) ? SerializationHelper.Deserialize<IState>(next, SerializationOption.TypedInternal) : null;
    }
}
