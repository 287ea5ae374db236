using System.Collections.Concurrent;

namespace JobServer.Tests.Concurrency;

/// <summary>
/// What the keyed test jobs did, per key (each test uses keys of its own): which job ids started, in order, how many
/// ran at once, and a gate each run waits at until the test lets one through — so a test decides when a job ends
/// instead of guessing with sleeps.
/// </summary>
public sealed class ConcurrencyProbe
{
    private static readonly ConcurrentDictionary<string, ConcurrencyProbe> Probes = new(StringComparer.Ordinal);

    private readonly object _sync = new();
    private readonly List<string> _started = [];
    private readonly List<string> _finished = [];
    private readonly SemaphoreSlim _gate = new(0);
    private int _inFlight;
    private int _maxInFlight;

    public static ConcurrencyProbe For(string key) => Probes.GetOrAdd(key, _ => new ConcurrencyProbe());

    public IReadOnlyList<string> Started
    {
        get { lock (_sync) return _started.ToList(); }
    }

    public IReadOnlyList<string> Finished
    {
        get { lock (_sync) return _finished.ToList(); }
    }

    public int InFlight
    {
        get { lock (_sync) return _inFlight; }
    }

    public int MaxInFlight
    {
        get { lock (_sync) return _maxInFlight; }
    }

    /// <summary>Lets one waiting (or the next) run through its gate.</summary>
    public void Open(int runs = 1) => _gate.Release(runs);

    /// <summary>Records the run; with <paramref name="gated"/> waits for <see cref="Open"/> (or the server's shutdown).</summary>
    public void Run(string jobId, bool gated, CancellationToken cancellationToken, bool fail = false)
    {
        lock (_sync)
        {
            _started.Add(jobId);
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
        }

        try
        {
            if (gated) _gate.Wait(cancellationToken);
            if (fail) throw new InvalidOperationException($"job {jobId} fails on purpose");
        }
        finally
        {
            lock (_sync)
            {
                _inFlight--;
                _finished.Add(jobId);
            }
        }
    }
}
