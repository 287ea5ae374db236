namespace JobServer.Engine.Processing;

/// <summary>In-process wake-up calls: an enqueue in this process reaches an idle worker without waiting for a poll.</summary>
internal sealed class EngineSignals
{
    public AsyncSignal WorkAvailable { get; } = new();
}
