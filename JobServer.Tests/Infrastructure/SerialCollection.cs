namespace JobServer.Tests.Infrastructure;

/// <summary>Tests that change process-wide or server-wide state (the driver's charset map, the MariaDB process
/// itself) run alone, after everything else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
