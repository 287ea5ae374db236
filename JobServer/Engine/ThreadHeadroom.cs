namespace JobServer.Engine;

/// <summary>
/// Raises the thread pool's minimum. Handlers, API requests and the synchronous MySQL driver block pool threads;
/// below the minimum the pool adds threads only slowly, which under load would add seconds of latency.
/// </summary>
internal static class ThreadHeadroom
{
    /// <summary>Keeps at least <paramref name="workerThreads"/> pool threads ready; never lowers what is set.</summary>
    public static void AtLeast(int workerThreads)
    {
        ThreadPool.GetMinThreads(out var current, out var ioThreads);
        if (workerThreads > current)
        {
            ThreadPool.SetMinThreads(workerThreads, ioThreads);
        }
    }
}
