using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Ops;

/// <summary>
/// The Hangfire dashboard at /hangfire over real HTTP (the ops app: PostgreSQL storage, jobs on, inbox retry pinned to
/// never fire by itself): who may open it and post to it, antiforgery on its actions, its CSP, and the audit trail.
/// </summary>
public sealed partial class HangfireDashboardTests(OpsHostFixture host) : IClassFixture<OpsHostFixture>
{
    private const string Job = "billing.inbox-retry";
    private OpsTestApp App => host.App;

    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/recurring")]
    [InlineData("/hangfire/jobs/failed")]
    public async Task Dashboard_Anonymous_IsSentToSignIn(string path)
    {
        var response = await App.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/recurring")]
    public async Task Dashboard_MemberWithoutOpsRole_Gets403(string path)
    {
        var member = await SignedInAsync("demo@monolith.local", "demo-password-1");

        var response = await member.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_Ops_SeesEveryRecurringJob_TitledAndLinkedBackToOps()
    {
        var ops = await OpsAsync();

        var response = await ops.GetAsync("/hangfire/recurring");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var job in new[] { "billing.reconciliation", "billing.inbox-retry", "billing.checkout-expiry", "maintenance.retention", "billing.dunning-reminders" })
        {
            Assert.Contains(job, html, StringComparison.Ordinal);
        }

        Assert.Matches("<title>[^<]+ – Monolith · jobs</title>", WebUtility.HtmlDecode(html));
        Assert.Contains("href=\"/ops\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("PostgreSQL Server", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csp_IsLooserOnlyUnderHangfire()
    {
        var ops = await OpsAsync();

        var dashboard = await ops.GetAsync("/hangfire/recurring");
        var opsPage = await ops.GetAsync("/ops");
        var script = await ops.GetAsync(ScriptPath(await dashboard.Content.ReadAsStringAsync()));

        Assert.Equal("style-src 'self' 'unsafe-inline'", Directive(dashboard, "style-src"));
        Assert.Equal("script-src 'self'", Directive(dashboard, "script-src"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("script-src 'self'", Directive(script, "script-src"));
        Assert.Equal(HttpStatusCode.OK, opsPage.StatusCode);
        Assert.Equal("style-src 'self'", Directive(opsPage, "style-src"));
        Assert.Equal("frame-ancestors 'none'", Directive(dashboard, "frame-ancestors"));
    }

    [Fact]
    public async Task TriggerNow_WithoutAntiforgeryToken_IsRefused_AndNothingRuns()
    {
        var ops = await OpsAsync();
        var before = LastJobId();

        var response = await ops.PostAsync("/hangfire/recurring/trigger", Form());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, LastJobId());
    }

    [Fact]
    public async Task TriggerNow_MemberOrAnonymous_IsRefused_AndNothingRuns()
    {
        var member = await SignedInAsync("demo@monolith.local", "demo-password-1");
        var before = LastJobId();
        var (header, token) = Antiforgery(await member.GetStringAsync("/billing"), member: true);
        var memberPost = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Form() };
        memberPost.Headers.Add(header, token);

        var asMember = await member.SendAsync(memberPost);
        var asAnonymous = await App.CreateClient().PostAsync("/hangfire/recurring/trigger", Form());

        Assert.Equal(HttpStatusCode.Forbidden, asMember.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
        Assert.StartsWith("/account/login", asAnonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(before, LastJobId());
    }

    [Fact]
    public async Task TriggerNow_OpsWithToken_RunsTheJobOnce_AndIsAudited()
    {
        var ops = await OpsAsync();
        var before = LastJobId();
        var (header, token) = Antiforgery(await ops.GetStringAsync("/hangfire/recurring"), member: false);
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Form() };
        request.Headers.Add(header, token);

        var response = await ops.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        string? jobId = null;
        await OpsTestApp.WaitUntilAsync(() =>
        {
            jobId = LastJobId();
            return Task.FromResult(jobId != before && jobId is not null && State(jobId) == "Succeeded");
        }, "the triggered run to succeed");
        using (var connection = Storage.GetConnection())
        {
            Assert.StartsWith("\"0 due", connection.GetStateData(jobId!).Data["Result"], StringComparison.Ordinal);
        }

        var audit = Assert.Single(await App.AuditForAsync(Job));
        Assert.Equal(("hangfire.recurring.trigger", "ops@monolith.local"), (audit.Action, audit.ActorEmail));
    }

    private JobStorage Storage => App.Factory.Services.GetRequiredService<JobStorage>();

    private string? LastJobId()
    {
        using var connection = Storage.GetConnection();
        return connection.GetRecurringJobs([Job]).Single().LastJobId;
    }

    private string? State(string jobId)
    {
        using var connection = Storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    private static FormUrlEncodedContent Form() => new([new KeyValuePair<string, string>("jobs[]", Job)]);

    private static string? Directive(HttpResponseMessage response, string name) =>
        string.Join(";", response.Headers.GetValues("Content-Security-Policy")).Split(';').Select(d => d.Trim())
            .FirstOrDefault(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    private static string ScriptPath(string html) => ScriptPattern().Match(html).Groups[1].Value;

    /// <summary>The dashboard puts its token in meta tags (its script sends it as a header); our pages in a hidden form field.</summary>
    private static (string Header, string Token) Antiforgery(string html, bool member)
    {
        if (member)
        {
            return ("RequestVerificationToken", WebUtility.HtmlDecode(FormTokenPattern().Match(html).Groups[1].Value));
        }

        var header = MetaPattern().Matches(html).Single(m => m.Groups[1].Value == "csrf-header").Groups[2].Value;
        var token = MetaPattern().Matches(html).Single(m => m.Groups[1].Value == "csrf-token").Groups[2].Value;
        return (WebUtility.HtmlDecode(header), WebUtility.HtmlDecode(token));
    }

    private Task<HttpClient> OpsAsync() => SignedInAsync("ops@monolith.local", "ops-password-1");

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = App.CreateClient();
        await HttpForms.SignInAsync(client, email, password);
        return client;
    }

    [GeneratedRegex("<meta name=\"(csrf-header|csrf-token)\" content=\"([^\"]+)\"")]
    private static partial Regex MetaPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    [GeneratedRegex("<script src=\"(/hangfire/js[^\"]+)\"")]
    private static partial Regex ScriptPattern();
}
