namespace JobServer.Api;

/// <summary>The answer of <c>GET /api/bulk-insert/count</c>: rows in <c>api_data</c> for <see cref="Project"/>, or for
/// every project when it is null.</summary>
public sealed record BulkInsertCountResponse(string? Project, long Rows);
