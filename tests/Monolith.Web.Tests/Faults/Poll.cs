namespace Monolith.Web.Tests.Faults;

/// <summary>Waits for a condition by polling with a deadline (never a fixed sleep).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, failure());
            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failure);
}
