using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Jobs;

namespace Monolith.Infrastructure.Tests.Jobs;

/// <summary><c>Jobs:*</c> is checked at start-up, with messages naming the setting and its environment variable.</summary>
public sealed class JobsOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = Bind([]);

        Assert.True(options.Enabled);
        Assert.Equal("0 7/15 * * * ?", options.Reconciliation.Cron);
        Assert.Equal(TimeSpan.FromDays(3), options.Dunning.Interval);
    }

    [Theory]
    [InlineData("Jobs:Reconciliation:Cron", "every minute", "Jobs__Reconciliation__Cron")]
    [InlineData("Jobs:InboxRetry:BatchSize", "0", "Jobs__InboxRetry__BatchSize")]
    [InlineData("Jobs:Dunning:Interval", "00:00:00", "Jobs__Dunning__Interval")]
    [InlineData("Jobs:Retention:OutboxRetention", "-1.00:00:00", "Jobs__Retention__OutboxRetention")]
    [InlineData("Jobs:QueuePollInterval", "00:00:00.010", "Jobs__QueuePollInterval")]
    [InlineData("Jobs:Retention:Cron", "0 0 0 1 1 ? 2099", "Jobs__Retention__Cron")]
    public void Invalid_Setting_FailsWithItsName(string key, string value, string environmentName)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(environmentName, failure.Message, StringComparison.Ordinal);
    }

    private static JobsOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section));
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<JobsOptions>>().Value;
    }
}
