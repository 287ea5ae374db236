using System.Globalization;
using System.Text;

namespace JobServer.Jobs;

/// <summary>
/// A chunk's rows as a LOAD DATA file (tab-separated, LOAD DATA's default escaping), streamed to tmpfs when there is
/// one, so memory stays flat however many rows a job inserts and writing it costs no disk I/O. Deleted on dispose.
/// </summary>
internal sealed class BulkChunkFile : IDisposable
{
    private static readonly string Directory = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    private BulkChunkFile(BulkChunk chunk, string path)
    {
        Chunk = chunk;
        Path = path;
    }

    public BulkChunk Chunk { get; }

    public string Path { get; }

    /// <summary>Thread-safe: the pipeline writes the next chunk's file while the current one loads.</summary>
    public static BulkChunkFile Write(BulkChunk chunk, string name, string project)
    {
        var file = new BulkChunkFile(chunk, System.IO.Path.Combine(Directory, $"jobserver-hf-chunk-{Guid.NewGuid():N}.tsv"));
        try
        {
            var prefix = $"{Escape(name)}\t{Escape(project)}\t{chunk.JobId.ToString(CultureInfo.InvariantCulture)}\t";
            using var writer = new StreamWriter(file.Path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
            Span<char> digits = stackalloc char[20];
            for (var seq = chunk.FirstSeq; seq < chunk.FirstSeq + chunk.Count; seq++)
            {
                writer.Write(prefix);
                seq.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
                writer.Write(digits[..length]);
                writer.Write('\n');
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    public void Dispose() => File.Delete(Path);

    /// <summary>LOAD DATA's default escaping: the escape character itself, then the field and line terminators.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0");
}
