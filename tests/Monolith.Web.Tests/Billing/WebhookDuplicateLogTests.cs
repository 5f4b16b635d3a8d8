using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Security;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// A provider redelivers events as a matter of course (and sometimes twice at once): duplicates are normal traffic, so
/// they are answered 200 <c>duplicate: true</c> and log nothing at error level — on PostgreSQL and on SQLite.
/// </summary>
public abstract class WebhookDuplicateLogTests<TDatabase> : IAsyncLifetime
    where TDatabase : TestDatabase, new()
{
    private const string Secret = "whsec_test_duplicates_0123456789";
    private readonly TDatabase _database = new();
    private readonly RecordingLoggerProvider _recorder = new();
    private MonolithWebFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?> { ["Payments:InMemory:WebhookSecret"] = Secret });
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(_recorder)));
        _ = _app.Server;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Duplicates_OneAfterAnotherAndAtOnce_Answer200AndLogNoError()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var body = Envelope(eventId);

        var first = await PostAsync(body);
        var again = await PostAsync(body);
        var together = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(body)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(together.Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var duplicate in together.Append(again))
        {
            Assert.True((await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEvents.CountAsync(e => e.ProviderEventId == eventId));
        }

        Assert.DoesNotContain(_recorder.Entries, e => e.StartsWith("Error ", StringComparison.Ordinal) || e.StartsWith("Critical ", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> PostAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/inmemory") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        request.Headers.TryAddWithoutValidation("Simulator-Signature", $"t={t},v1={Convert.ToHexString(mac).ToLowerInvariant()}");
        return _app.CreateClient().SendAsync(request);
    }

    private static string Envelope(string id)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            id, type = "customer.tax_id.created", created = now.ToUnixTimeSeconds(), data = new { occurred_at = now, @object = new { id = "obj_1" } },
        });
    }
}

public sealed class PostgresWebhookDuplicateLogTests : WebhookDuplicateLogTests<PostgresTestDatabase>;

public sealed class SqliteWebhookDuplicateLogTests : WebhookDuplicateLogTests<SqliteTestDatabase>;
