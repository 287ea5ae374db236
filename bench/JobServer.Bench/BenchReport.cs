using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace JobServer.Bench;

/// <summary>Writes a run's results as JSON and as an SVG bar chart (one panel per group) under docs/.</summary>
internal static class BenchReport
{
    /// <param name="storages">Each storage measured, in order, with its <c>Settings</c> (server version, durability, options).</param>
    public static void Write(string folder, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> storages, IReadOnlyList<BenchGroup> groups, string load)
    {
        Directory.CreateDirectory(folder);
        var json = new
        {
            machine = $"{Environment.ProcessorCount} cores ({BenchEnvironment.CpuModel()}), {Environment.OSVersion}",
            load,
            at = DateTime.UtcNow,
            storages = storages.Select(s => new { name = s.Key, settings = s.Value }),
            groups = groups.Select(g => new
            {
                group = g.Title,
                results = g.Results.Select(r => new
                {
                    @case = r.Case,
                    value = Math.Round(r.Value, 2),
                    max = r.Max is { } max ? Math.Round(max, 2) : (double?)null,
                    unit = r.Unit,
                    baseline = r.IsBaseline,
                    vsRaw = r.VsRaw is { } ratio ? Math.Round(ratio, 3) : (double?)null,
                }),
            }),
        };
        File.WriteAllText(Path.Combine(folder, "benchmarks.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.WriteAllText(Path.Combine(folder, "benchmarks.svg"), Svg(groups, load));
        Console.WriteLine($"wrote {Path.Combine(folder, "benchmarks.json")} and benchmarks.svg");
    }

    /// <summary>Horizontal bars scaled per panel (units differ between panels), value printed at each bar's end.</summary>
    private static string Svg(IReadOnlyList<BenchGroup> groups, string load)
    {
        const int width = 1120, labelWidth = 470, barWidth = 380, row = 22, panelGap = 34;
        var height = groups.Sum(g => panelGap + g.Results.Count * row) + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.Append("""<rect width="100%" height="100%" fill="#ffffff"/>""");
        var y = 10;
        foreach (var (group, results) in groups.Select(g => (g.Title, g.Results)))
        {
            y += 20;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="10" y="{y}" font-weight="bold" font-size="13">{WebUtility.HtmlEncode(group)}</text>""");
            y += 8;
            var max = results.Count == 0 ? 1 : results.Max(r => r.Value);
            foreach (var result in results)
            {
                var length = max <= 0 ? 0 : result.Value / max * barWidth;
                var color = result.IsBaseline ? "#8a94a6" : "#2f6fde";
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="10" y="{y + 15}">{WebUtility.HtmlEncode(result.Case)}</text>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{labelWidth}" y="{y + 4}" width="{length:0.0}" height="15" fill="{color}"/>""");
                var ratio = result.VsRaw is { } vsRaw ? $"  ({vsRaw:P0} of raw)" : "";
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth + length + 6:0.0}" y="{y + 15}">{result.Value:N1} {result.Unit}{(result.Max is { } largest ? $" (max {largest:N1})" : "")}{ratio}</text>""");
                y += row;
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="10" y="{height - 6}" font-size="10" fill="#666">{WebUtility.HtmlEncode($"{Environment.ProcessorCount} cores, {load}; medians; grey bars are raw baselines measured in the same run")}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
