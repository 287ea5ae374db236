using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace JobServer.Storage.MySql;

/// <summary>
/// A chunk's rows as a LOAD DATA file, streamed to disk (tmpfs when there is one) so memory stays flat however many
/// rows a job inserts. MySql.Data 8.0.16 can only send LOCAL INFILE data from a file, not from a stream.
/// </summary>
internal sealed partial class ChunkFile : IDisposable
{
    private static readonly string Directory = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    private ChunkFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static ChunkFile Write(BulkChunk chunk)
    {
        var file = new ChunkFile(System.IO.Path.Combine(Directory, $"jobserver-chunk-{Guid.NewGuid():N}.tsv"));
        if (!SafePath().IsMatch(file.Path))
        {
            throw new InvalidOperationException($"Unexpected characters in the chunk file path {file.Path}.");
        }

        var prefix = $"{Escape(chunk.Name)}\t{Escape(chunk.Project)}\t{chunk.JobId.ToString(CultureInfo.InvariantCulture)}\t";
        using var writer = new StreamWriter(file.Path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        for (var seq = chunk.FirstSeq; seq < chunk.FirstSeq + chunk.Count; seq++)
        {
            writer.Write(prefix);
            writer.Write(seq.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }

        return file;
    }

    public void Dispose() => File.Delete(Path);

    /// <summary>LOAD DATA's default escaping: backslash, then the field and line terminators.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0");

    // The path is spliced into LOAD DATA, which takes no parameter for it: allow only characters that need no quoting.
    [GeneratedRegex(@"^[A-Za-z0-9/_.\-]+\z")]
    private static partial Regex SafePath();
}
