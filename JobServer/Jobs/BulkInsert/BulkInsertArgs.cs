using System.ComponentModel.DataAnnotations;

namespace JobServer.Jobs.BulkInsert;

public sealed class BulkInsertArgs
{
    public const int MaxProjectLength = 64;

    /// <summary>How many rows to insert, 1 to 10,000,000.</summary>
    [Range(1, 10_000_000)]
    public required int Rows { get; init; }

    /// <summary>The <c>name</c> of every row, 1 to 64 characters. Default "nameJams", as in the user's original script.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string Name { get; init; } = "nameJams";

    /// <summary>The project the rows belong to; also the concurrency key (one bulk insert per project at a time).</summary>
    [Required]
    [StringLength(MaxProjectLength, MinimumLength = 1)]
    public required string Project { get; init; }

    /// <summary>Rows per chunk (one transaction, one progress step, the most work a crash can undo), 1,000 to
    /// 1,000,000. Default <see cref="BulkInsertJob.DefaultChunkSize"/>.</summary>
    [Range(1_000, 1_000_000)]
    public int? ChunkSize { get; init; }
}
