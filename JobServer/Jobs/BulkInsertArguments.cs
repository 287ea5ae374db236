using System.Globalization;

namespace JobServer.Jobs;

/// <summary>Arguments of <see cref="BulkInsertJob"/>.</summary>
public sealed class BulkInsertArguments : IJobArguments
{
    public const int MaxRows = 10_000_000;

    public const int MaxTextLength = 64;

    public const int MinChunkSize = 1_000;

    public const int MaxChunkSize = 1_000_000;

    /// <summary>Large enough that per-chunk costs (commit, ledger row, progress write) vanish next to the load, small
    /// enough that a crash costs seconds of work, progress moves often, and a chunk file stays a few MB.</summary>
    public const int DefaultChunkSize = 100_000;

    /// <summary>How many rows to insert, 1 to 10,000,000.</summary>
    public int Rows { get; init; }

    /// <summary>The <c>name</c> of every row, 1 to 64 characters. Default "nameJams", as in the user's original script.</summary>
    public string Name { get; init; } = "nameJams";

    /// <summary>The project the rows belong to, 1 to 64 characters. Required.</summary>
    public string Project { get; init; } = "";

    /// <summary>Rows per chunk (one transaction, one progress step, the most work a crash can undo), 1,000 to
    /// 1,000,000. Default <see cref="DefaultChunkSize"/>.</summary>
    public int? ChunkSize { get; init; }

    internal int EffectiveChunkSize => ChunkSize ?? DefaultChunkSize;

    public IReadOnlyList<ArgumentError> Validate()
    {
        var errors = new List<ArgumentError>();
        ArgumentChecks.Range(errors, "rows", Rows, 1, MaxRows);
        ArgumentChecks.Text(errors, "project", Project, MaxTextLength);
        ArgumentChecks.Text(errors, "name", Name, MaxTextLength);
        if (ChunkSize is { } chunkSize)
        {
            ArgumentChecks.Range(errors, "chunkSize", chunkSize, MinChunkSize, MaxChunkSize);
        }

        return errors;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rows} rows into {Project}");
}
