using System.Globalization;

namespace JobServer.Bench;

/// <summary>
/// Ours against each peer, case by case, from the tables of one run: the same line of the same table measured on two
/// storages. The figure is how many times better ours is — a rate divided by the peer's rate, a peer's latency divided
/// by ours — so above 1 means ours is ahead whatever the unit.
/// </summary>
internal static class PeerComparison
{
    private const string Ours = "JobServer.Storage.MySql";

    /// <summary>Prints the comparison and returns it as one table for the report (empty when no peer was measured).</summary>
    public static IReadOnlyList<BenchGroup> Compare(IReadOnlyList<BenchGroup> groups, IReadOnlyList<string> storages)
    {
        // A peer is any other storage of the run: Hangfire's other storages, or ours with a gain switched off (--ablations).
        var peers = storages.Where(s => s != Ours).ToList();
        if (!storages.Contains(Ours) || peers.Count == 0) return [];

        var rows = new List<(string Case, double OursValue, string Unit, Dictionary<string, double> PeerValues)>();
        foreach (var group in groups.Where(g => g.Title.EndsWith(", " + Ours, StringComparison.Ordinal)))
        {
            var table = group.Title[..^(Ours.Length + 2)];
            foreach (var line in group.Results.Where(r => !r.IsBaseline && IsComparable(r.Unit)))
            {
                var peerValues = new Dictionary<string, double>();
                foreach (var peer in peers)
                {
                    var match = groups.FirstOrDefault(g => g.Title == $"{table}, {peer}")?.Results.FirstOrDefault(r => r.Case == line.Case && r.Unit == line.Unit);
                    if (match is not null) peerValues[peer] = match.Value;
                }
                if (peerValues.Count > 0) rows.Add(($"{line.Case}", line.Value, line.Unit, peerValues));
            }
        }
        if (rows.Count == 0) return [];

        Console.WriteLine();
        Console.WriteLine("Ours against each peer, same run (x = times better than the peer: rates ours / peer, latencies peer / ours)");
        Console.WriteLine($"| {"case",-58} | {"ours",14} | {string.Join(" | ", peers.Select(p => $"{Short(p),20}"))} |");
        Console.WriteLine($"|{new string('-', 60)}|{new string('-', 16)}|{string.Join("|", peers.Select(_ => new string('-', 22)))}|");
        var results = new List<BenchResult>();
        foreach (var (label, oursValue, unit, peerValues) in rows)
        {
            var cells = peers.Select(p => peerValues.TryGetValue(p, out var value)
                ? $"{Format(value)} {unit} {Times(oursValue, value, unit):0.00}x"
                : "n/a");
            Console.WriteLine($"| {label,-58} | {Format(oursValue) + " " + unit,14} | {string.Join(" | ", cells.Select(c => $"{c,20}"))} |");
            results.AddRange(peerValues.Select(p => new BenchResult($"{label}: vs {Short(p.Key)}", "x", Times(oursValue, p.Value, unit))));
        }
        return [new BenchGroup("Ours against each peer (times better; above 1 = ours ahead), " + Ours + " vs peers", results)];
    }

    private static bool IsComparable(string unit) => unit is "jobs/s" or "ms";

    private static double Times(double ours, double peer, string unit) =>
        unit == "ms" ? (ours <= 0 ? 0 : peer / ours) : (peer <= 0 ? 0 : ours / peer);

    private static string Short(string storage) =>
        storage.StartsWith("Hangfire.", StringComparison.Ordinal) ? storage["Hangfire.".Length..]
        : storage.StartsWith(Ours + " ", StringComparison.Ordinal) ? storage[(Ours.Length + 1)..]
        : storage;

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("N1", CultureInfo.InvariantCulture);
}
