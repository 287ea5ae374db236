using System.Globalization;

namespace JobServer.Bench;

/// <summary>One line of the table: a median figure, and its ratio to the raw baseline measured in the same run.</summary>
internal sealed record BenchResult(string Case, string Unit, double Value)
{
    public BenchResult? Baseline { get; init; }

    /// <summary>This line is the raw figure the others are compared with.</summary>
    public bool IsBaseline { get; init; }

    public string Ratio => Baseline is not null
        ? (Value / Baseline.Value).ToString("P0", CultureInfo.InvariantCulture) + " of raw"
        : IsBaseline ? "baseline" : "-";

    public static void Print(string title, IEnumerable<BenchResult> results)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"| {"case",-62} | {"median",14} | {"vs raw",12} |");
        Console.WriteLine($"|{new string('-', 64)}|{new string('-', 16)}|{new string('-', 14)}|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Case,-62} | {r.Value.ToString(r.Value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture) + " " + r.Unit,14} | {r.Ratio,12} |");
        }
    }
}
