using System.Collections.Concurrent;
using System.Data;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.Infrastructure.Identity;
using Monolith.Infrastructure.Persistence;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;
using static Monolith.Web.Tests.Common.Poll;

namespace Monolith.Web.Tests.Billing;

/// <summary>
/// The payments port, decorated: every call made while serving a request checks the request's DbContext — no open
/// transaction, no open connection — so a provider's slow HTTP never holds a database transaction (or a pooled
/// connection) open.
/// </summary>
public sealed class TransactionCheckingPaymentsPort(IPaymentsPort inner, IHttpContextAccessor http) : IPaymentsPort
{
    public ConcurrentQueue<string> Calls { get; } = new();
    public ConcurrentQueue<string> Violations { get; } = new();

    public string Provider => inner.Provider;

    public PaymentsCapabilities Capabilities => inner.Capabilities;

    public Task<Result<string>> CreateCustomerAsync(CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(CreateCustomerAsync), () => inner.CreateCustomerAsync(request, idempotencyKey, cancellationToken));

    public Task<Result> UpdateCustomerAsync(string customerId, CreateCustomerRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(UpdateCustomerAsync), () => inner.UpdateCustomerAsync(customerId, request, idempotencyKey, cancellationToken));

    public Task<Result<HostedCheckout>> CreateCheckoutSessionAsync(CreateCheckoutRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(CreateCheckoutSessionAsync), () => inner.CreateCheckoutSessionAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<Uri>> CreatePortalSessionAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken) =>
        Checked(nameof(CreatePortalSessionAsync), () => inner.CreatePortalSessionAsync(customerId, returnUrl, cancellationToken));

    public Task<Result> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(CancelSubscriptionAsync), () => inner.CancelSubscriptionAsync(providerSubscriptionId, atPeriodEnd, idempotencyKey, cancellationToken));

    public Task<Result> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(ResumeSubscriptionAsync), () => inner.ResumeSubscriptionAsync(providerSubscriptionId, idempotencyKey, cancellationToken));

    public Task<Result> ChangeSubscriptionAsync(ChangeSubscriptionRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(ChangeSubscriptionAsync), () => inner.ChangeSubscriptionAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<ProviderRefund>> RefundPaymentAsync(RefundRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(RefundPaymentAsync), () => inner.RefundPaymentAsync(request, idempotencyKey, cancellationToken));

    public Task<Result<IReadOnlyList<ProviderEvent>>> FetchAsync(ProviderObjectRef reference, CancellationToken cancellationToken) =>
        Checked(nameof(FetchAsync), () => inner.FetchAsync(reference, cancellationToken));

    public Task<Result> ReportUsageAsync(UsageReport report, string idempotencyKey, CancellationToken cancellationToken) =>
        Checked(nameof(ReportUsageAsync), () => inner.ReportUsageAsync(report, idempotencyKey, cancellationToken));

    public Result<ParsedWebhook> ParseWebhook(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers, DateTimeOffset now) =>
        inner.ParseWebhook(body, headers, now);

    private Task<T> Checked<T>(string operation, Func<Task<T>> call)
    {
        if (http.HttpContext?.RequestServices.GetService<AppDbContext>() is { } db)
        {
            Calls.Enqueue(operation);
            if (db.Database.CurrentTransaction is not null)
            {
                Violations.Enqueue($"{operation} ran inside an open database transaction ({http.HttpContext.Request.Path})");
            }
            else if (db.Database.GetDbConnection().State != ConnectionState.Closed)
            {
                Violations.Enqueue($"{operation} ran while the request's database connection was open ({http.HttpContext.Request.Path})");
            }
        }

        return call();
    }
}

public sealed class ProviderCallsOutsideTransactionsTests : IAsyncLifetime
{
    private const string GoodCard = "4242424242424242";
    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _factory = null!;
    private TransactionCheckingPaymentsPort _port = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database)
        {
            TestServices = services =>
            {
                var original = services.Last(d => d.ServiceType == typeof(IPaymentsPort));
                services.Remove(original);
                services.AddSingleton<IPaymentsPort>(sp => _port = new TransactionCheckingPaymentsPort(
                    (IPaymentsPort)original.ImplementationFactory!(sp), sp.GetRequiredService<IHttpContextAccessor>()));
            },
        };
        _factory.StartKestrel();
    }

    [Fact]
    public async Task EveryProviderCallOfARequest_CheckoutPortalChangeCancelResumeRefundReconcile_RunsWithNoTransactionOrConnectionOpen()
    {
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = _factory.ClientOptions.BaseAddress });
        var registered = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = $"tx-{Guid.NewGuid():N}@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        Assert.True(registered.IsSuccessStatusCode || registered.StatusCode == HttpStatusCode.Redirect);
        var organizationId = (await client.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
            .Where(o => o.GetProperty("isPersonal").GetBoolean()).Select(o => Guid.Parse(o.GetProperty("organizationId").GetString()!)).Single();

        await PayAsync(client, "pro-monthly");
        var subscription = await WaitForAsync("the subscription to be active", async () =>
        {
            var rows = (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().ToList();
            return rows.Count == 1 && rows[0].GetProperty("status").GetString() == "active" ? rows[0].GetProperty("subscriptionId").GetString() : null;
        });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/billing/portal", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscription}/change", new { priceId = "team-monthly", quantity = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/billing/subscriptions/{subscription}/cancel", new { atPeriodEnd = true })).StatusCode);
        await WaitForAsync("cancelAtPeriodEnd", async () =>
            (await client.GetFromJsonAsync<JsonElement>("/api/billing/subscriptions")).EnumerateArray().Single().GetProperty("cancelAtPeriodEnd").GetBoolean() ? "yes" : null);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/billing/subscriptions/{subscription}/resume", null)).StatusCode);

        await PayAsync(client, "lifetime-report");
        var paymentId = await WaitForAsync("the one-time payment", () => QueryAsync(db => db.Payments.AsNoTracking()
            .Where(p => p.Kind == PaymentKind.OneTime && p.Status == PaymentStatus.Succeeded
                        && db.BillingAccounts.Any(a => a.Id == p.BillingAccountId && a.OrganizationId == organizationId))
            .Select(p => (Guid?)p.Id).SingleOrDefaultAsync()).ContinueWith(t => t.Result?.ToString(), TaskScheduler.Default));
        var ops = _factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = _factory.ClientOptions.BaseAddress });
        await HttpForms.SubmitAsync(ops, "/account/login", new() { ["Input.Email"] = DevelopmentAccounts.OpsEmail, ["Input.Password"] = DevelopmentAccounts.OpsPassword });
        var form = await OpsRefundForm.RenderAsync(ops, organizationId, Guid.Parse(paymentId));
        Assert.NotNull(form);
        Assert.Contains("requested", await OpsRefundForm.SubmitAsync(ops, organizationId, form, 500), StringComparison.Ordinal);
        var reconcile = await ops.PostAsync($"/ops/accounts/{organizationId}?handler=Reconcile",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = form["__RequestVerificationToken"] }));
        Assert.True(reconcile.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK);

        Assert.Equal(
            ["CancelSubscriptionAsync", "ChangeSubscriptionAsync", "CreateCheckoutSessionAsync", "CreateCustomerAsync", "CreatePortalSessionAsync",
                "FetchAsync", "RefundPaymentAsync", "ResumeSubscriptionAsync"],
            _port.Calls.Distinct().Order(StringComparer.Ordinal));
        Assert.Empty(_port.Violations);
    }

    private async Task PayAsync(HttpClient client, string priceId)
    {
        var checkout = await client.PostAsJsonAsync("/api/billing/checkout", new { priceId });
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!.TrimEnd('/').Split('/')[^1];
        Assert.Equal(CheckoutAttemptOutcome.Completed, _factory.Services.GetRequiredService<SimulatorState>().SubmitCard(sessionId, GoodCard).Outcome);
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }


    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
