using JobServer.Engine.Processing;

namespace JobServer.Tests.Engine;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task WaitAsync_SetBeforeWait_ReturnsAtOnceAndConsumesSignal()
    {
        var sut = new AsyncSignal();
        sut.Set();

        Assert.True(await sut.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None));
        Assert.False(await sut.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_SetWhileWaiting_Wakes()
    {
        var sut = new AsyncSignal();
        var waiting = sut.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        sut.Set();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitAsync_NoSignal_TimesOutFalse()
    {
        Assert.False(await new AsyncSignal().WaitAsync(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var waiting = new AsyncSignal().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
