namespace JobServer.Storage;

public interface IScheduleStore
{
    /// <summary>Moves up to <paramref name="max"/> Scheduled jobs whose time has come onto their queues, in one
    /// transaction that skips rows another server is promoting.</summary>
    PromotionResult PromoteDue(DateTime now, int max, string serverId);
}
