namespace Monolith.Web.Tests.Common;

/// <summary>Polls a probe until it gives a value, with a 30 s deadline (webhook effects and caches land a moment after the call).</summary>
internal static class Poll
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<T> WaitForAsync<T>(string what, Func<Task<T?>> probe)
        where T : struct =>
        (await UntilAsync(what, async () => await probe() is { } value ? (true, value) : (false, default)));

    public static async Task<T> WaitForAsync<T>(string what, Func<Task<T?>> probe)
        where T : class =>
        (await UntilAsync(what, async () => await probe() is { } value ? (true, value) : (false, default!)));

    private static async Task<T> UntilAsync<T>(string what, Func<Task<(bool Found, T Value)>> probe)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (true)
        {
            var (found, value) = await probe();
            if (found)
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
