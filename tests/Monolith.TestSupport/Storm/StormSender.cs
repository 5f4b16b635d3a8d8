using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Monolith.TestSupport.Storm;

/// <summary>What a run of <see cref="StormSender"/> saw.</summary>
/// <param name="Latencies">Every request's round trip (successful or not), in milliseconds, sorted.</param>
/// <param name="Rejected">Requests answered with a non-2xx status (retried).</param>
/// <param name="Unreachable">Requests that got no answer (connection refused/reset, timeout; retried).</param>
public sealed record StormRun(int Delivered, int Requests, int Rejected, int Unreachable, TimeSpan Elapsed, double[] Latencies)
{
    public double DeliveredPerSecond => Delivered / Elapsed.TotalSeconds;

    public double Percentile(double p) =>
        Latencies.Length == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(p / 100 * Latencies.Length) - 1, 0, Latencies.Length - 1)];
}

/// <summary>
/// Plays Stripe's webhook sender: <c>concurrency</c> connections post the deliveries in order to
/// <c>/webhooks/stripe</c>, each signed at send time (<c>Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")</c>,
/// computed here independently of the app), and retry anything that is not 2xx — a status or no answer at all —
/// with exponential backoff (scaled down from Stripe's hours to milliseconds) until <c>giveUpAfter</c>.
/// </summary>
public sealed class StormSender(Uri baseAddress, string webhookSecret, int concurrency) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly byte[] _key = Encoding.UTF8.GetBytes(webhookSecret);
    private int _requests;
    private int _rejected;
    private int _unreachable;
    private int _delivered;

    /// <summary>Deliveries acknowledged with 2xx so far (for tests that act mid-storm).</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Requests that failed so far (non-2xx or no answer).</summary>
    public int Failures => Volatile.Read(ref _rejected) + Volatile.Read(ref _unreachable);

    public async Task<StormRun> SendAsync(IReadOnlyList<StormEvent> deliveries, TimeSpan giveUpAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var next = -1;
        var latencies = new double[concurrency][];
        var counts = new int[concurrency];
        var deadline = DateTimeOffset.UtcNow + giveUpAfter;
        var total = Stopwatch.StartNew();

        async Task Worker(int worker)
        {
            var mine = new List<double>(deliveries.Count / concurrency * 2);
            int index;
            while ((index = Interlocked.Increment(ref next)) < deliveries.Count)
            {
                await DeliverAsync(deliveries[index], mine, deadline, cancellationToken);
                counts[worker]++;
            }

            latencies[worker] = [.. mine];
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), cancellationToken)));
        total.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new StormRun(counts.Sum(), _requests, _rejected, _unreachable, total.Elapsed, all);
    }

    private async Task DeliverAsync(StormEvent delivery, List<double> latencies, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", Sign(delivery.Body, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            var watch = Stopwatch.StartNew();
            Interlocked.Increment(ref _requests);
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }

                Interlocked.Increment(ref _rejected);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _unreachable);
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Event {delivery.Id} ({delivery.Type}) was still refused after {attempt + 1} attempts.");
            }

            // Exponential backoff with jitter: 20 ms, 40 ms, … capped at 1 s.
            var delay = Math.Min(1000, 20 << Math.Min(attempt, 6));
            await Task.Delay(TimeSpan.FromMilliseconds((delay / 2) + Random.Shared.Next(0, (delay / 2) + 1)), cancellationToken);
        }
    }

    /// <summary><c>t={timestamp},v1={hex HMAC-SHA256 over "t.body"}</c>, as Stripe signs.</summary>
    public string Sign(byte[] body, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(body);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message, prefix.Length);
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(_key, message))}");
    }

    public void Dispose() => _http.Dispose();
}
