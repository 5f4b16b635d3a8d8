using Monolith.Domain.Billing.Usage;

namespace Monolith.Domain.Tests.Billing;

public sealed class UsageLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMonths(1);
    private static readonly Guid Account = Guid.NewGuid();

    [Fact]
    public void Used_AddsOnly_SumsQuantities()
    {
        var events = new[] { Usage(UsageMode.Add, 3, 1), Usage(UsageMode.Add, 4, 2) };

        Assert.Equal(7, UsageLedger.Used(events, "api-calls", Start, End));
    }

    [Fact]
    public void Used_SetTotalInTheMiddle_ReplacesRunningTotalInRecordedOrder()
    {
        var events = new[] { Usage(UsageMode.Add, 5, 3), Usage(UsageMode.Add, 3, 1), Usage(UsageMode.SetTotal, 10, 2) };

        Assert.Equal(15, UsageLedger.Used(events, "api-calls", Start, End));
    }

    [Fact]
    public void Used_OtherFeatureOrPeriod_IsNotCounted()
    {
        var events = new[]
        {
            Usage(UsageMode.Add, 2, 1),
            Usage(UsageMode.Add, 100, 1, feature: "seats"),
            Usage(UsageMode.Add, 100, 1, periodStart: End, periodEnd: End.AddMonths(1)),
        };

        Assert.Equal(2, UsageLedger.Used(events, "api-calls", Start, End));
    }

    [Theory]
    [InlineData(UsageMode.Add, 0)]
    [InlineData(UsageMode.Add, -1)]
    [InlineData(UsageMode.SetTotal, -1)]
    public void Record_InvalidQuantity_FailsValidation(UsageMode mode, long quantity)
    {
        var result = UsageEvent.Record(Guid.NewGuid(), Account, "api-calls", quantity, "k", Start, End, mode, Start);

        Assert.Equal(UsageErrors.QuantityInvalid, result.Error);
    }

    private static UsageEvent Usage(
        UsageMode mode, long quantity, int minute, string feature = "api-calls", DateTimeOffset? periodStart = null, DateTimeOffset? periodEnd = null) =>
        UsageEvent.Record(Guid.NewGuid(), Account, feature, quantity, Guid.NewGuid().ToString(), periodStart ?? Start, periodEnd ?? End, mode,
            Start.AddMinutes(minute)).Value;
}
