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
        var result = UsageEvent.Record(Guid.NewGuid(), Account, "api-calls", quantity, "k", Start, End, mode, Start, UsageRules.Default);

        Assert.Equal(UsageErrors.QuantityInvalid, result.Error);
    }

    [Theory]
    [InlineData(UsageMode.Add, UsageRules.DefaultMaxQuantityPerEvent + 1)]
    [InlineData(UsageMode.Add, long.MaxValue)]
    [InlineData(UsageMode.SetTotal, long.MaxValue)]
    public void Record_QuantityAboveThePerEventMaximum_IsRefused(UsageMode mode, long quantity)
    {
        var result = UsageEvent.Record(Guid.NewGuid(), Account, "api-calls", quantity, "k", Start, End, mode, Start, UsageRules.Default);

        Assert.Equal("billing.usage.quantity_too_large", result.Error!.Code);
    }

    [Fact]
    public void Record_QuantityAtThePerEventMaximum_IsRecorded()
    {
        var result = UsageEvent.Record(Guid.NewGuid(), Account, "api-calls", UsageRules.DefaultMaxQuantityPerEvent, "k", Start, End, UsageMode.Add, Start,
            UsageRules.Default);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void TotalAfter_PastThePeriodMaximum_IsRefusedAndAtItIsAllowed()
    {
        var rules = UsageRules.Create(10, 25).Value;
        var ten = Usage(UsageMode.Add, 10, 1, rules: rules);

        Assert.Equal(25, UsageLedger.TotalAfter(15, ten, rules).Value);
        Assert.Equal("billing.usage.period_total_exceeded", UsageLedger.TotalAfter(16, ten, rules).Error!.Code);
        Assert.Equal("billing.usage.period_total_exceeded", UsageLedger.TotalAfter(long.MaxValue, ten, rules).Error!.Code);
        Assert.Equal(10, UsageLedger.TotalAfter(long.MaxValue, Usage(UsageMode.SetTotal, 10, 2, rules: rules), rules).Value);
    }

    [Fact]
    public void Used_RowsWhoseSumPassesLongMaxValue_SaturatesInsteadOfWrappingOrThrowing()
    {
        var rules = UsageRules.Create(UsageRules.CeilingOfMaxTotalPerPeriod, UsageRules.CeilingOfMaxTotalPerPeriod).Value;
        var events = Enumerable.Range(1, 3).Select(m => Usage(UsageMode.Add, UsageRules.CeilingOfMaxTotalPerPeriod, m, rules: rules)).ToList();

        Assert.Equal(long.MaxValue, UsageLedger.Used(events, "api-calls", Start, End));
        Assert.Equal(1000 - long.MaxValue, UsageLedger.Balance(1000, long.MaxValue));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 4)]
    [InlineData(UsageRules.CeilingOfMaxTotalPerPeriod + 1, UsageRules.CeilingOfMaxTotalPerPeriod + 1)]
    public void CreateRules_OutOfRange_IsRefused(long perEvent, long perPeriod)
    {
        Assert.True(UsageRules.Create(perEvent, perPeriod).IsFailure);
    }

    private static UsageEvent Usage(
        UsageMode mode, long quantity, int minute, string feature = "api-calls", DateTimeOffset? periodStart = null, DateTimeOffset? periodEnd = null,
        UsageRules? rules = null) =>
        UsageEvent.Record(Guid.NewGuid(), Account, feature, quantity, Guid.NewGuid().ToString(), periodStart ?? Start, periodEnd ?? End, mode,
            Start.AddMinutes(minute), rules ?? UsageRules.Default).Value;
}
