namespace JobServer.Storage.MySql.Tests.Configuration;

public sealed class MySqlStorageOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new MySqlStorageOptions();

        options.Validate();

        Assert.Equal(TimeSpan.FromMilliseconds(150), options.QueuePollInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.InvisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.KeepAliveInterval);
        Assert.True(options.PrepareSchemaIfNecessary);
    }

    public static TheoryData<string, Action<MySqlStorageOptions>> OutOfRange => new()
    {
        { nameof(MySqlStorageOptions.QueuePollInterval), o => o.QueuePollInterval = TimeSpan.Zero },
        { nameof(MySqlStorageOptions.MinQueuePollInterval), o => o.MinQueuePollInterval = TimeSpan.FromSeconds(1) },
        { nameof(MySqlStorageOptions.InvisibilityTimeout), o => o.InvisibilityTimeout = TimeSpan.FromSeconds(-1) },
        { nameof(MySqlStorageOptions.KeepAliveInterval), o => o.KeepAliveInterval = TimeSpan.FromSeconds(30) },
        { nameof(MySqlStorageOptions.MaxFetchBatchSize), o => o.MaxFetchBatchSize = 0 },
        { nameof(MySqlStorageOptions.JobExpirationCheckInterval), o => o.JobExpirationCheckInterval = TimeSpan.Zero },
        { nameof(MySqlStorageOptions.DeleteExpiredBatchSize), o => o.DeleteExpiredBatchSize = 0 },
        { nameof(MySqlStorageOptions.CountersAggregateInterval), o => o.CountersAggregateInterval = TimeSpan.Zero },
        { nameof(MySqlStorageOptions.CountersAggregateBatchSize), o => o.CountersAggregateBatchSize = -5 },
        { nameof(MySqlStorageOptions.DashboardJobListLimit), o => o.DashboardJobListLimit = 0 },
        { nameof(MySqlStorageOptions.DeadlockRetries), o => o.DeadlockRetries = -1 },
        { nameof(MySqlStorageOptions.CommandTimeout), o => o.CommandTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Validate_OptionOutOfRange_ThrowsNamingIt(string option, Action<MySqlStorageOptions> breakIt)
    {
        var options = new MySqlStorageOptions();
        breakIt(options);

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeTouchingTheDatabase()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new MySqlStorage("Server=127.0.0.1;Port=1;Database=none", new MySqlStorageOptions { MaxFetchBatchSize = 5000 }));

        Assert.Equal(nameof(MySqlStorageOptions.MaxFetchBatchSize), ex.ParamName);
    }

    [Fact]
    public void Constructor_ConnectionStringWithoutDatabase_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new MySqlStorage("Server=127.0.0.1;Port=1;User ID=x", new MySqlStorageOptions { PrepareSchemaIfNecessary = false }));

        Assert.Contains("Database", ex.Message);
    }
}
