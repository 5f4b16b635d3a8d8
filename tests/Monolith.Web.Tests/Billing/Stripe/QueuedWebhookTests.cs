using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Billing.Webhooks;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport.Stripe;

namespace Monolith.Web.Tests.Billing.Stripe;

/// <summary>
/// The default webhook path (docs/billing.md, "Webhooks"): the answer comes once the event is durable in the inbox;
/// the background applier (turned off here and run by hand, round by round) applies it. PostgreSQL, the Stripe adapter.
/// </summary>
public sealed class QueuedWebhookTests : IAsyncLifetime
{
    private readonly StripeWebApp _app = new(new Dictionary<string, string?>
    {
        ["Webhooks:Applier:Enabled"] = "false",
        ["Webhooks:ReadyMaxLag"] = "00:01:00",
    });

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Webhooks_AreAnsweredWhenDurable_AndGrantNothingUntilTheApplierAppliesThem()
    {
        var client = await _app.RegisterAsync();
        var events = await CheckoutEventsAsync(client);

        var answers = await _app.DeliverAsync(events, waitUntilApplied: false);

        Assert.All(answers, a => Assert.Contains(a.GetProperty("status").GetString(), new[] { "received", "ignored" }));
        Assert.Contains(answers, a => a.GetProperty("status").GetString() == "received");
        Assert.Empty(await StripeWebApp.SubscriptionsAsync(client));
        Assert.False(await StripeWebApp.IsAllowedAsync(client, "reports"));
        Assert.Equal(answers.Count(a => a.GetProperty("status").GetString() == "received"), await InboxCountAsync(WebhookEventStatus.Received));

        Assert.True(await Applier().RoundAsync(CancellationToken.None));

        Assert.Equal(0, await InboxCountAsync(WebhookEventStatus.Received));
        var subscription = await StripeWebApp.OnlySubscriptionAsync(client);
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.False(await Applier().RoundAsync(CancellationToken.None), "a round with nothing received must report no progress");
    }

    [Fact]
    public async Task ReceivedEventThatCannotBeRead_IsRecordedAsFailed_AndTheEventsBehindItAreStillApplied()
    {
        var client = await _app.RegisterAsync();
        var poisoned = Guid.NewGuid();
        await using (var scope = _app.Factory.Services.CreateAsyncScope())
        {
            // Older than everything else, so it heads the queue.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = WebhookEvent.Receive(poisoned, "stripe", $"evt_{Guid.NewGuid():N}", "invoice.paid", "{ not json", DateTimeOffset.UtcNow.AddMinutes(-5)).Value;
            db.WebhookEvents.Add(row);
            await db.SaveChangesAsync();
        }

        await _app.DeliverAsync(await CheckoutEventsAsync(client), waitUntilApplied: false);
        var waiting = await ReadinessAsync();
        Assert.Equal("Unhealthy", waiting.GetProperty("status").GetString());
        Assert.True(waiting.GetProperty("data").GetProperty("backlog").GetInt32() >= 2);
        Assert.True(waiting.GetProperty("data").GetProperty("lagSeconds").GetDouble() >= 300);

        Assert.True(await Applier().RoundAsync(CancellationToken.None));

        var failed = await QueryAsync(db => db.WebhookEvents.AsNoTracking().SingleAsync(e => e.Id == poisoned));
        Assert.Equal(WebhookEventStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        Assert.Equal(0, await InboxCountAsync(WebhookEventStatus.Received));
        Assert.Equal("active", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
        var settled = await ReadinessAsync();
        Assert.Equal("Healthy", settled.GetProperty("status").GetString());
        Assert.Equal(0, settled.GetProperty("data").GetProperty("backlog").GetInt32());
    }

    /// <summary>The <c>webhooks</c> entry of <c>/health/ready</c>.</summary>
    private async Task<JsonElement> ReadinessAsync()
    {
        using var response = await _app.Factory.CreateClient().GetAsync("/health/ready");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("webhooks");
    }

    private WebhookApplierService Applier() =>
        _app.Factory.Services.GetServices<IHostedService>().OfType<WebhookApplierService>().Single();

    private async Task<IReadOnlyList<FakeStripeEvent>> CheckoutEventsAsync(HttpClient client)
    {
        var checkout = await StripeWebApp.CheckoutAsync(client, "pro-monthly");
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        _app.Stripe.CompleteCheckout(StripeWebApp.ProviderSessionId(await checkout.Content.ReadFromJsonAsync<JsonElement>()));
        var events = _app.Stripe.TakeEvents();
        Assert.NotEmpty(events);
        return events;
    }

    private Task<int> InboxCountAsync(WebhookEventStatus status) => QueryAsync(db => db.WebhookEvents.CountAsync(e => e.Status == status));

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}

/// <summary><c>Webhooks:Processing=Inline</c>: the event is applied and committed before the provider is answered.</summary>
public sealed class InlineWebhookTests : IAsyncLifetime
{
    private readonly StripeWebApp _app = new(new Dictionary<string, string?>
    {
        ["Webhooks:Processing"] = "Inline",
        ["Webhooks:Applier:Enabled"] = "false",
    });

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Webhooks_AreAppliedBeforeTheAnswer()
    {
        var client = await _app.RegisterAsync();
        var checkout = await StripeWebApp.CheckoutAsync(client, "pro-monthly");
        _app.Stripe.CompleteCheckout(StripeWebApp.ProviderSessionId(await checkout.Content.ReadFromJsonAsync<JsonElement>()));

        var statuses = (await _app.DeliverAsync(_app.Stripe.TakeEvents(), waitUntilApplied: false))
            .Select(a => a.GetProperty("status").GetString()).ToList();

        Assert.Contains("applied", statuses);
        Assert.DoesNotContain("received", statuses);
        Assert.Equal("active", (await StripeWebApp.OnlySubscriptionAsync(client)).GetProperty("status").GetString());
    }
}
