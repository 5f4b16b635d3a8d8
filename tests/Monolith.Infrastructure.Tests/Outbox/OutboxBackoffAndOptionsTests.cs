using Monolith.Infrastructure.Outbox;

namespace Monolith.Infrastructure.Tests.Outbox;

public sealed class OutboxBackoffAndOptionsTests
{
    [Theory]
    [InlineData(1, 5_000)]
    [InlineData(2, 10_000)]
    [InlineData(4, 40_000)]
    [InlineData(30, 60_000)]
    public void Backoff_IsBetweenHalfAndAllOfTheCappedExponential(int attempts, int ceilingMs)
    {
        var random = new Random(attempts);
        for (var i = 0; i < 200; i++)
        {
            var delay = OutboxBackoff.Delay(attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), random);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(ceilingMs / 2.0), TimeSpan.FromMilliseconds(ceilingMs));
        }
    }

    [Fact]
    public void Options_Defaults_AreValid_AndNonsenseIsRefusedWithTheSettingName()
    {
        var validator = new OutboxOptionsValidator();
        Assert.True(validator.Validate(null, new OutboxOptions()).Succeeded);

        var bad = new OutboxOptions { BatchSize = 0, MaxAttempts = 0, BackoffCap = TimeSpan.FromSeconds(1), Workers = { Concurrency = 0 } };
        var failures = validator.Validate(null, bad).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Outbox:BatchSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Outbox:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Outbox:BackoffCap", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Outbox:Workers:Concurrency", StringComparison.Ordinal));
    }
}
