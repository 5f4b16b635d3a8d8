using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;
using static Monolith.Web.Tests.Common.Poll;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// Refunds on the simulator, end to end (Kestrel, signed webhooks): operators refund from the ops account page (full
/// or partial, audited, idempotent); owners only when <c>Billing:Refunds:OwnerSelfService</c> is on, within the window.
/// </summary>
public sealed class RefundTests : IAsyncLifetime
{
    private const string GoodCard = "4242424242424242";
    private readonly List<(PostgresTestDatabase Database, MonolithWebFactory Factory)> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RefundPayment_ByTheOwnerWithDefaultSettings_Is403AndNothingIsRefunded()
    {
        var host = await StartAsync();
        var (client, organizationId, paymentId) = await BuyLifetimeReportAsync(host);

        var refund = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { });

        Assert.Equal(HttpStatusCode.Forbidden, refund.StatusCode);
        Assert.Equal("billing.refund.owner_not_allowed", await CodeAsync(refund));
        Assert.Equal(0, await RefundedAsync(host, paymentId));
        Assert.True(await IsAllowedAsync(client, "lifetime-report"));
        Assert.NotEqual(Guid.Empty, organizationId);
    }

    [Fact]
    public async Task IssueRefund_PartialThenTheRestFromTheOpsPage_RefundsExactlyTheCapturedAmountAndIsAudited()
    {
        var host = await StartAsync();
        var (client, organizationId, paymentId) = await BuyLifetimeReportAsync(host);
        var ops = await OpsAsync(host);

        var form = await OpsRefundForm.RenderAsync(ops, organizationId, paymentId);
        Assert.NotNull(form);
        var first = await OpsRefundForm.SubmitAsync(ops, organizationId, form, 1000, "goodwill");
        var doubleSubmit = await OpsRefundForm.SubmitAsync(ops, organizationId, form, 1000, "goodwill");

        Assert.Contains("10.00 requested", first, StringComparison.Ordinal);
        Assert.Contains("10.00 requested", doubleSubmit, StringComparison.Ordinal);
        await WaitForAsync("the partial refund to be recorded", async () => await RefundedAsync(host, paymentId) == 1000 ? true : (bool?)null);
        Assert.True(await IsAllowedAsync(client, "lifetime-report"));

        var tooMuch = await OpsRefundForm.SubmitAsync(ops, organizationId, (await OpsRefundForm.RenderAsync(ops, organizationId, paymentId))!, 8901);
        Assert.Contains("billing.payment.refund_exceeds_captured", tooMuch, StringComparison.Ordinal);

        var rest = await OpsRefundForm.SubmitAsync(ops, organizationId, (await OpsRefundForm.RenderAsync(ops, organizationId, paymentId))!, null);
        Assert.Contains("89.00 requested", rest, StringComparison.Ordinal);
        await WaitForAsync("the whole payment to be refunded", async () => await RefundedAsync(host, paymentId) == 9900 ? true : (bool?)null);
        await WaitForAsync("lifetime-report to be revoked", async () => await IsAllowedAsync(client, "lifetime-report") ? null : (bool?)true);
        Assert.Null(await OpsRefundForm.RenderAsync(ops, organizationId, paymentId)); // nothing left: no form

        var audit = await QueryAsync(host, db => db.OpsAudit.AsNoTracking().Where(a => a.TargetId == paymentId.ToString()).ToListAsync());
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal((OpsActions.PaymentRefund, DevelopmentAccounts.OpsEmail), (a.Action, a.ActorEmail)));
        Assert.Single(audit, a => a.Detail!.Contains("of 1000 EUR", StringComparison.Ordinal) && a.Detail.Contains("goodwill", StringComparison.Ordinal));
        Assert.Single(audit, a => a.Detail!.Contains("of 8900 EUR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefundPayment_OwnerSelfServiceOn_RefundsWithinWhatIsLeftAndCannotBeRepeated()
    {
        var host = await StartAsync(new() { ["Billing:Refunds:OwnerSelfService"] = "true", ["Billing:Refunds:OwnerWindowDays"] = "14" });
        var (client, _, paymentId) = await BuyLifetimeReportAsync(host);

        var tooMuch = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { amountMinor = 9901 });
        var refund = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.Equal("billing.payment.refund_exceeds_captured", await CodeAsync(tooMuch));
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        Assert.Equal(9900, (await refund.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amountMinor").GetInt64());
        await WaitForAsync("lifetime-report to be revoked", async () => await IsAllowedAsync(client, "lifetime-report") ? null : (bool?)true);
        var again = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal("billing.payment.nothing_to_refund", await CodeAsync(again));
        Assert.Equal(9900, await RefundedAsync(host, paymentId));
    }

    [Fact]
    public async Task RefundPayment_OwnerSelfServiceAfterTheWindow_Is422WindowElapsed()
    {
        var host = await StartAsync(new() { ["Billing:Refunds:OwnerSelfService"] = "true", ["Billing:Refunds:OwnerWindowDays"] = "0" });
        var (client, _, paymentId) = await BuyLifetimeReportAsync(host);

        var refund = await client.PostAsJsonAsync($"/api/billing/payments/{paymentId}/refunds", new { amountMinor = 100 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refund.StatusCode);
        Assert.Equal("billing.refund.window_elapsed", await CodeAsync(refund));
        Assert.Equal(0, await RefundedAsync(host, paymentId));
    }

    private async Task<MonolithWebFactory> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var factory = new MonolithWebFactory(database, settings: settings);
        _hosts.Add((database, factory));
        factory.StartKestrel();
        return factory;
    }

    private static async Task<(HttpClient Client, Guid OrganizationId, Guid PaymentId)> BuyLifetimeReportAsync(MonolithWebFactory host)
    {
        var client = host.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = host.ClientOptions.BaseAddress });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"refund-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect, $"Registration failed with {(int)registered.StatusCode}.");
        var organizationId = (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
            .Where(o => o.GetProperty("isPersonal").GetBoolean()).Select(o => Guid.Parse(o.GetProperty("organizationId").GetString()!)).Single();
        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId = "lifetime-report" });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!.TrimEnd('/').Split('/')[^1];
        Assert.Equal(CheckoutAttemptOutcome.Completed, host.Services.GetRequiredService<SimulatorState>().SubmitCard(sessionId, GoodCard).Outcome);
        await WaitForAsync("lifetime-report to be allowed", async () => await IsAllowedAsync(client, "lifetime-report") ? true : (bool?)null);
        var paymentId = await QueryAsync(host, db => db.Payments.AsNoTracking()
            .Where(p => p.Kind == PaymentKind.OneTime && db.BillingAccounts.Any(a => a.Id == p.BillingAccountId && a.OrganizationId == organizationId))
            .Select(p => p.Id).SingleAsync());
        return (client, organizationId, paymentId);
    }

    private static async Task<HttpClient> OpsAsync(MonolithWebFactory host)
    {
        var ops = host.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = host.ClientOptions.BaseAddress });
        // Kestrel-served clients follow redirects whatever the options say: signed in is "the ops overview opens".
        await HttpForms.SubmitAsync(ops, "/account/login", new() { ["Input.Email"] = DevelopmentAccounts.OpsEmail, ["Input.Password"] = DevelopmentAccounts.OpsPassword });
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/ops")).StatusCode);
        return ops;
    }

    private static Task<long> RefundedAsync(MonolithWebFactory host, Guid paymentId) =>
        QueryAsync(host, async db => (await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId)).RefundedAmount.AmountMinor);

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static async Task<bool> IsAllowedAsync(HttpClient client, string featureId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/billing/entitlements/{featureId}")).GetProperty("allowed").GetBoolean();

    private static async Task<T> QueryAsync<T>(MonolithWebFactory host, Func<AppDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }


    public async Task DisposeAsync()
    {
        foreach (var (database, factory) in _hosts)
        {
            await factory.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
