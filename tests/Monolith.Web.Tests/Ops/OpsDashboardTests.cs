using System.Net;
using System.Text.Json;
using Monolith.Application.Ops.Audit;
using Monolith.Domain.Billing.Webhooks;
using Monolith.Infrastructure.Outbox;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Ops;

/// <summary>The ops pages and actions over real HTTP: who may open them, what they show, and that every action is audited.</summary>
public sealed class OpsDashboardTests(OpsHostFixture host) : IClassFixture<OpsHostFixture>
{
    private const string OpsEmail = "ops@monolith.local";
    private OpsTestApp App => host.App;

    public static TheoryData<string> Pages() =>
    [
        "/ops", "/ops/deliveries", "/ops/deliveries?state=Dead", "/ops/webhooks", "/ops/webhooks?type=checkout.", "/ops/accounts",
        "/ops/accounts?q=demo", "/ops/audit", $"/ops/deliveries/{Guid.NewGuid()}", $"/ops/deliveries/{Guid.NewGuid()}/delete",
        $"/ops/webhooks/{Guid.NewGuid()}", $"/ops/accounts/{Guid.NewGuid()}", "/ops/drift",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Anonymous_IsSentToSignIn(string path)
    {
        var response = await App.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_MemberWithoutOpsRole_IsDenied(string path)
    {
        var client = await SignedInAsync("demo@monolith.local", "demo-password-1");

        var response = await client.GetAsync(path);
        var denied = await client.GetAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Action_MemberWithoutOpsRole_IsDeniedAndChangesNothing()
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await SignedInAsync("demo@monolith.local", "demo-password-1");
        // A member cannot open the page to get a form token; use the token of a page they may open.
        var response = await PostWithForeignTokenAsync(client, $"/ops/deliveries/{id}?handler=Requeue");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(OutboxDeliveryState.Dead, (await App.DeliveryAsync(id))!.State);
        Assert.Empty(await App.AuditForAsync(id.ToString()));
    }

    [Fact]
    public async Task Overview_OpsUser_ShowsDeliveryCountsWebhookStatusesAndChart()
    {
        await App.DeadDeliveryAsync();
        await App.FailedWebhookEventAsync();
        var client = await OpsAsync();

        var html = await client.GetStringAsync("/ops");

        Assert.Contains("data-testid=\"ops-title\"", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"count-dead\">[1-9]", html);
        Assert.Matches("data-testid=\"webhooks-failed\">[1-9]", html);
        Assert.Contains("data-testid=\"throughput-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"bar-webhooks\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deliveries_FilterByStateAndHandler_ListsTheDeadOne()
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await OpsAsync();

        var dead = await client.GetStringAsync($"/ops/deliveries?state=Dead&handler={OpsProbeHandler.HandlerName}");
        var succeeded = await client.GetStringAsync("/ops/deliveries?state=Succeeded");

        Assert.Contains($"data-delivery-id=\"{id}\"", dead, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-delivery-id=\"{id}\"", succeeded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ops/deliveries?p=3")]
    [InlineData("/ops/webhooks?p=3")]
    [InlineData("/ops/audit?p=3")]
    public async Task List_PageParameter_IsBound(string path)
    {
        var client = await OpsAsync();

        var html = await client.GetStringAsync(path);

        Assert.Contains("page 3 of", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliveries_UnknownState_Is400ProblemWithCode()
    {
        var client = await OpsAsync();

        var response = await client.GetAsync("/ops/deliveries?state=Exploded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation.failed", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task DeliveryDetail_ShowsPayloadAndLastError_UnknownIdIs404()
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await OpsAsync();

        var html = await client.GetStringAsync($"/ops/deliveries/{id}");
        var missing = await client.GetAsync($"/ops/deliveries/{Guid.NewGuid()}");

        Assert.Contains("test.ops_probe_failed", html, StringComparison.Ordinal);
        Assert.Contains("&quot;probeId&quot;", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"requeue\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("outbox.delivery.not_found", (await ProblemAsync(missing)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Requeue_DeadDelivery_RunsAgainSucceedsAndIsAudited()
    {
        var (id, heal) = await App.DeadDeliveryAsync();
        heal();
        var client = await OpsAsync();

        var response = await PostFormAsync(client, $"/ops/deliveries/{id}", "Requeue");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await OpsTestApp.WaitUntilAsync(async () => (await App.DeliveryAsync(id))!.State == OutboxDeliveryState.Succeeded, "the requeued delivery to succeed");
        var audit = Assert.Single(await App.AuditForAsync(id.ToString()));
        Assert.Equal(OpsActions.DeliveryRequeue, audit.Action);
        Assert.Equal(OpsEmail, audit.ActorEmail);
        Assert.NotNull(audit.ActorUserId);
        Assert.Equal("delivery", audit.TargetKind);
        var log = await client.GetStringAsync("/ops/audit");
        Assert.Contains(id.ToString(), log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryNow_FailedDelivery_RunsAtOnceInsteadOfInAnHourAndIsAudited()
    {
        var id = await App.FailedDeliveryAsync();
        var before = (await App.DeliveryAsync(id))!;
        Assert.True(before.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(20));
        var client = await OpsAsync();

        var response = await PostFormAsync(client, $"/ops/deliveries/{id}", "Retry");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Still failing, so its second (last) attempt parks it: proof that it ran now, not in an hour.
        await OpsTestApp.WaitUntilAsync(async () => (await App.DeliveryAsync(id))!.State == OutboxDeliveryState.Dead, "the retried delivery to run");
        Assert.Equal(OpsActions.DeliveryRetryNow, Assert.Single(await App.AuditForAsync(id.ToString())).Action);
    }

    [Fact]
    public async Task Retry_DeadDelivery_IsRefusedWithItsCodeAndNotAudited()
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await OpsAsync();

        var response = await PostFormAsync(client, $"/ops/deliveries/{id}", "Retry");
        var page = await client.GetStringAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("outbox.delivery.state_invalid", page, StringComparison.Ordinal);
        Assert.Equal(OutboxDeliveryState.Dead, (await App.DeliveryAsync(id))!.State);
        Assert.Empty(await App.AuditForAsync(id.ToString()));
    }

    [Fact]
    public async Task Delete_AfterTheConfirmationPage_RemovesTheDeliveryAndIsAudited()
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await OpsAsync();

        var confirm = await client.GetStringAsync($"/ops/deliveries/{id}/delete");
        var response = await PostFormAsync(client, $"/ops/deliveries/{id}/delete");

        Assert.Contains("data-testid=\"confirm-delete\"", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await App.DeliveryAsync(id));
        var audit = Assert.Single(await App.AuditForAsync(id.ToString()));
        Assert.Equal(OpsActions.DeliveryDelete, audit.Action);
        Assert.Contains(OpsProbeHandler.HandlerName, audit.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Requeue")]
    [InlineData("Delete")]
    public async Task Action_WithoutAntiforgeryToken_Is400AndChangesNothing(string action)
    {
        var (id, _) = await App.DeadDeliveryAsync();
        var client = await OpsAsync();
        var path = action == "Delete" ? $"/ops/deliveries/{id}/delete" : $"/ops/deliveries/{id}?handler=Requeue";

        var response = await client.PostAsync(path, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(OutboxDeliveryState.Dead, (await App.DeliveryAsync(id))!.State);
        Assert.Empty(await App.AuditForAsync(id.ToString()));
    }

    [Fact]
    public async Task WebhookEvents_SearchByEventIdAndType_ShowsRawPayloadHtmlEncoded()
    {
        var id = await App.FailedWebhookEventAsync();
        var stored = (await App.WebhookEventAsync(id))!;
        var client = await OpsAsync();

        var byId = await client.GetStringAsync($"/ops/webhooks?eventId={stored.ProviderEventId}");
        var byOtherType = await client.GetStringAsync($"/ops/webhooks?eventId={stored.ProviderEventId}&type=invoice.");
        var detail = await client.GetStringAsync($"/ops/webhooks/{id}");

        Assert.Contains($"/ops/webhooks/{id}", byId, StringComparison.Ordinal);
        Assert.DoesNotContain($"/ops/webhooks/{id}", byOtherType, StringComparison.Ordinal);
        Assert.Contains("&quot;checkout.session.expired&quot;", detail, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reapply\"", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reapply_FailedWebhookEvent_GoesThroughTheApplierIsAuditedAndThenFinal()
    {
        var id = await App.FailedWebhookEventAsync();
        var client = await OpsAsync();

        var first = await PostFormAsync(client, $"/ops/webhooks/{id}", "Reapply");
        var firstPage = await client.GetStringAsync(first.Headers.Location);
        var second = await PostFormAsync(client, $"/ops/webhooks/{id}", "Reapply");
        var secondPage = await client.GetStringAsync(second.Headers.Location);

        var stored = (await App.WebhookEventAsync(id))!;
        Assert.Equal(WebhookEventStatus.Ignored, stored.Status);
        Assert.Equal("No local checkout session to expire.", stored.Error);
        Assert.Contains("Re-applied: now Ignored", firstPage, StringComparison.Ordinal);
        Assert.Contains("ops.webhook.reapply_final", secondPage, StringComparison.Ordinal);
        var audit = Assert.Single(await App.AuditForAsync(id.ToString()));
        Assert.Equal(OpsActions.WebhookReapply, audit.Action);
        Assert.Contains("Failed → Ignored", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_FindByMemberEmail_ShowsTheOrganisationWithTheReconcileSpot()
    {
        var client = await OpsAsync();

        var found = await client.GetStringAsync("/ops/accounts?q=demo%40monolith");
        var link = System.Text.RegularExpressions.Regex.Match(found, "href=\"(/ops/accounts/[0-9a-f-]{36})\"").Groups[1].Value;
        var details = await client.GetStringAsync(link);

        Assert.Contains("data-testid=\"account-row\"", found, StringComparison.Ordinal);
        Assert.Contains("demo@monolith.local", details, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reconcile-spot\"", details, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"subscriptions\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileNow_AccountWithAnOpenCheckout_ChecksItAndIsAudited()
    {
        var demo = await SignedInAsync("demo@monolith.local", "demo-password-1");
        Assert.Equal(HttpStatusCode.OK, (await demo.PostAsync("/api/billing/checkout", System.Net.Http.Json.JsonContent.Create(new { priceId = "pro-monthly" }))).StatusCode);
        var client = await OpsAsync();
        var found = await client.GetStringAsync("/ops/accounts?q=demo%40monolith");
        var link = System.Text.RegularExpressions.Regex.Match(found, "href=\"(/ops/accounts/([0-9a-f-]{36}))\"").Groups;

        var response = await PostFormAsync(client, link[1].Value, "Reconcile");
        var page = await client.GetStringAsync(response.Headers.Location);

        Assert.Matches("Reconciliation checked [1-9]\\d* object\\(s\\) and wrote 0 drift report\\(s\\)", page);
        var audit = Assert.Single(await App.AuditForAsync(link[2].Value));
        Assert.Equal((OpsActions.AccountReconcile, OpsEmail), (audit.Action, audit.ActorEmail));
    }

    [Fact]
    public async Task Drift_ListsReports_AndFiltersByAccount()
    {
        var account = Guid.NewGuid();
        var other = Guid.NewGuid();
        await App.WithDbAsync(db =>
        {
            db.DriftReports.Add(new Monolith.Application.Billing.Reconciliation.BillingDriftReport(
                Guid.NewGuid(), DateTimeOffset.UtcNow, "Subscription", "inmemory", "sub_drift_1", account, "Incomplete", "Active", "status Incomplete → Active"));
            db.DriftReports.Add(new Monolith.Application.Billing.Reconciliation.BillingDriftReport(
                Guid.NewGuid(), DateTimeOffset.UtcNow, "Payment", "inmemory", "pi_drift_2", other, "(none)", "Succeeded", "payment created"));
            return db.SaveChangesAsync();
        });
        var client = await OpsAsync();

        var all = await client.GetStringAsync("/ops/drift");
        var filtered = await client.GetStringAsync($"/ops/drift?account={account}");

        Assert.Contains("sub_drift_1", all, StringComparison.Ordinal);
        Assert.Contains("pi_drift_2", all, StringComparison.Ordinal);
        Assert.Contains("sub_drift_1", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("pi_drift_2", filtered, StringComparison.Ordinal);
    }

    private async Task<HttpClient> OpsAsync() => await SignedInAsync(OpsEmail, "ops-password-1");

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = App.CreateClient();
        await HttpForms.SignInAsync(client, email, password);
        return client;
    }

    /// <summary>A form post the way the browser sends it: the page's antiforgery token (every page has one: the sign-out form), then POST.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string? handler = null)
    {
        var html = await client.GetStringAsync(page);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var target = handler is null ? page : $"{page}?handler={handler}";
        return await client.PostAsync(target, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
    }

    private static async Task<HttpResponseMessage> PostWithForeignTokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync("/billing");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
}
