using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Email;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Dev;

/// <summary>The development mailbox over HTTP: what the pickup sender wrote, listed and shown HTML-encoded; absent outside Development.</summary>
public sealed class DevMailboxTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("monolith-mailbox-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private MonolithWebFactory Factory(string environment = "Development") =>
        new(database, environment, new Dictionary<string, string?> { ["Email:Pickup:Directory"] = _folder, ["Outbox:Workers:Enabled"] = "false" });

    private static HttpClient Client(MonolithWebFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task SentEmail_IsWrittenToThePickupFolder_ListedAndShownEncoded()
    {
        await using var factory = Factory();
        using var client = Client(factory);
        var sender = factory.Services.GetRequiredService<IEmailSender>();
        var message = new EmailMessage(
            "owner@example.test", "Receipt <script>alert('x')</script>", "Paid: https://app.example.test/billing",
            "<p>Paid <a href=\"https://app.example.test/billing\">billing</a></p><script>alert('y')</script>", "msg-1.billing.email.receipt");

        Assert.True((await sender.SendAsync(message, CancellationToken.None)).IsSuccess);
        Assert.True(File.Exists(Path.Combine(_folder, "msg-1.billing.email.receipt.json")));

        var list = await client.GetStringAsync("/_dev/mailbox");
        Assert.Contains("owner@example.test", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/_dev/mailbox/msg-1.billing.email.receipt\"", list, StringComparison.Ordinal);
        Assert.Contains("Receipt &lt;script&gt;", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", list, StringComparison.Ordinal);

        var view = await client.GetStringAsync("/_dev/mailbox/msg-1.billing.email.receipt");
        Assert.Contains("Paid: https://app.example.test/billing", view, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;y&#x27;)&lt;/script&gt;", view, StringComparison.Ordinal);
        Assert.Contains("sandbox=\"\"", view, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", view, StringComparison.Ordinal);

        // Sending the same message (same key) again replaces it instead of adding a second one.
        Assert.True((await sender.SendAsync(message with { Subject = "Receipt again" }, CancellationToken.None)).IsSuccess);
        Assert.Single(Directory.GetFiles(_folder, "*.json"));
        Assert.Contains("Receipt again", await client.GetStringAsync("/_dev/mailbox"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_dev/mailbox/nope")]
    [InlineData("/_dev/mailbox/..%2Fmonolith")]
    [InlineData("/_dev/mailbox/.hidden")]
    public async Task UnknownOrUnsafeMessageId_Is404(string path)
    {
        await using var factory = Factory();
        using var client = Client(factory);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_TheMailboxDoesNotExist()
    {
        await using var factory = Factory("Production");
        using var client = Client(factory);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_dev/mailbox")).StatusCode);
    }
}
