using System.Net;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Ops;

public sealed class OpsAccessTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Fact]
    public async Task Ops_Anonymous_IsSentToSignIn()
    {
        var response = await host.CreateClient().GetAsync("/ops");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ops_SignedInWithoutOpsRole_IsDenied()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "demo@monolith.local", "demo-password-1");

        var response = await client.GetAsync("/ops");
        var denied = await client.GetAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Ops_OpsUser_SeesTheOpsPage()
    {
        var client = host.CreateClient();
        await HttpForms.SignInAsync(client, "ops@monolith.local", "ops-password-1");

        var response = await client.GetAsync("/ops");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"ops-title\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
