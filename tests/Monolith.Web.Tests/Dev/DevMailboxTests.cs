using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Common.Email;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Dev;

/// <summary>
/// The development mailbox over HTTP: what the pickup sender wrote, listed and shown HTML-encoded, to a signed-in user
/// only their own mail (ops: all); the HTML preview under its own script-free policy; absent outside Development.
/// </summary>
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
        await HttpForms.SignInAsync(client, "ops@monolith.local", "ops-password-1");
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
        Assert.Contains("sandbox=\"allow-popups allow-popups-to-escape-sandbox\"", view, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", view, StringComparison.Ordinal);

        // Sending the same message (same key) again replaces it instead of adding a second one.
        Assert.True((await sender.SendAsync(message with { Subject = "Receipt again" }, CancellationToken.None)).IsSuccess);
        Assert.Single(Directory.GetFiles(_folder, "*.json"));
        Assert.Contains("Receipt again", await client.GetStringAsync("/_dev/mailbox"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInUser_SeesOnlyTheirOwnMail_OpsSeesAll()
    {
        await using var factory = Factory();
        var sender = factory.Services.GetRequiredService<IEmailSender>();
        var own = new EmailMessage("demo@monolith.local", "Yours", "For you", "<p>For <a href=\"https://app.example.test/billing\">you</a></p>", "own-1.billing.email.receipt");
        var other = new EmailMessage("someone-else@example.test", "Not yours", "For them", "<p>For them</p>", "other-1.billing.email.receipt");
        Assert.True((await sender.SendAsync(own, CancellationToken.None)).IsSuccess);
        Assert.True((await sender.SendAsync(other, CancellationToken.None)).IsSuccess);

        using var anonymous = Client(factory);
        var challenged = await anonymous.GetAsync("/_dev/mailbox");
        Assert.Equal(HttpStatusCode.Redirect, challenged.StatusCode);
        Assert.StartsWith("/account/login", challenged.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        using var demo = Client(factory);
        await HttpForms.SignInAsync(demo, "demo@monolith.local", "demo-password-1");
        var list = await demo.GetStringAsync("/_dev/mailbox");
        Assert.Contains("Yours", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Not yours", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await demo.GetAsync("/_dev/mailbox/other-1.billing.email.receipt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demo.GetAsync("/_dev/mailbox/other-1.billing.email.receipt?handler=html")).StatusCode);

        using var preview = await demo.GetAsync("/_dev/mailbox/own-1.billing.email.receipt?handler=html");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("text/html", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal("SAMEORIGIN", preview.Headers.GetValues("X-Frame-Options").Single());
        var policy = preview.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox allow-popups", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.StartsWith("<base target=\"_blank\"><p>For <a href=", await preview.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Every other answer keeps the site-wide policy.
        using var page = await demo.GetAsync("/_dev/mailbox/own-1.billing.email.receipt");
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        using var ops = Client(factory);
        await HttpForms.SignInAsync(ops, "ops@monolith.local", "ops-password-1");
        var all = await ops.GetStringAsync("/_dev/mailbox");
        Assert.Contains("Yours", all, StringComparison.Ordinal);
        Assert.Contains("Not yours", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_dev/mailbox/nope")]
    [InlineData("/_dev/mailbox/..%2Fmonolith")]
    [InlineData("/_dev/mailbox/.hidden")]
    public async Task UnknownOrUnsafeMessageId_Is404(string path)
    {
        await using var factory = Factory();
        using var client = Client(factory);
        await HttpForms.SignInAsync(client, "ops@monolith.local", "ops-password-1");

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
