using System.Globalization;

namespace JobServer.Bench;

/// <summary>One line of a table: a median figure (and the largest seen, where that matters), and its ratio to the raw
/// baseline measured in the same run.</summary>
internal sealed record BenchResult(string Case, string Unit, double Value)
{
    public BenchResult? Baseline { get; init; }

    /// <summary>This line is the raw figure the others are compared with.</summary>
    public bool IsBaseline { get; init; }

    /// <summary>The largest of the measured values (read paths), when the table shows it.</summary>
    public double? Max { get; init; }

    public double? VsRaw => Baseline is { Value: > 0 } ? Value / Baseline.Value : null;

    public string Ratio => VsRaw is { } ratio
        ? ratio.ToString("P0", CultureInfo.InvariantCulture) + " of raw"
        : IsBaseline ? "baseline" : "-";
}

/// <summary>A table: its title and lines, all measured in one run.</summary>
internal sealed record BenchGroup(string Title, IReadOnlyList<BenchResult> Results)
{
    public void Print()
    {
        var withMax = Results.Any(r => r.Max is not null);
        var withRatio = Results.Any(r => r.IsBaseline || r.Baseline is not null);
        Console.WriteLine();
        Console.WriteLine(Title);
        Console.WriteLine($"| {"case",-66} | {"median",16} |{(withMax ? $" {"max",10} |" : "")}{(withRatio ? $" {"vs raw",12} |" : "")}");
        Console.WriteLine($"|{new string('-', 68)}|{new string('-', 18)}|{(withMax ? new string('-', 12) + "|" : "")}{(withRatio ? new string('-', 14) + "|" : "")}");
        foreach (var r in Results)
        {
            var max = withMax ? $" {(r.Max is { } m ? Format(m) : ""),10} |" : "";
            Console.WriteLine($"| {r.Case,-66} | {Format(r.Value) + " " + r.Unit,16} |{max}{(withRatio ? $" {r.Ratio,12} |" : "")}");
        }
    }

    private static string Format(double value) => value.ToString(value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture);
}
