using Hangfire;

namespace JobServer.Storage.MySql;

/// <summary>Hangfire-style configuration: <c>GlobalConfiguration.Configuration.UseMySqlStorage(…)</c>.</summary>
public static class MySqlStorageExtensions
{
    /// <summary>Uses a new <see cref="MySqlStorage"/> on <paramref name="connectionString"/> as the job storage.</summary>
    public static IGlobalConfiguration<MySqlStorage> UseMySqlStorage(this IGlobalConfiguration configuration,
        string connectionString, MySqlStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.UseStorage(new MySqlStorage(connectionString, options));
    }
}
