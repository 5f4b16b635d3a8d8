using System.Net;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Accounts;

public sealed class AccountPagesTests(WebHostFixture host) : IClassFixture<WebHostFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/register")]
    [InlineData("/account/login")]
    public async Task Page_Anonymous_Renders(string path)
    {
        var response = await host.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithoutAntiforgeryToken_IsRejected()
    {
        var response = await HttpForms.SubmitAsync(host.CreateClient(), "/account/register", new()
        {
            ["Input.Email"] = "csrf@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Register_ValidForm_SignsInAndShowsPersonalOrganization()
    {
        var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = "grace@example.test", ["Input.Password"] = "long-enough-1", ["Input.ConfirmPassword"] = "long-enough-1",
        });
        var home = await client.GetStringAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("grace&#x27;s organisation", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ShortPassword_ShowsTheFieldErrorAndCreatesNoAccount()
    {
        var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = "short@example.test", ["Input.Password"] = "short", ["Input.ConfirmPassword"] = "short",
        });
        var body = await response.Content.ReadAsStringAsync();
        var signIn = await HttpForms.SubmitAsync(host.CreateClient(), "/account/login", new() { ["Input.Email"] = "short@example.test", ["Input.Password"] = "short" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least 8 characters", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsErrorAndStaysSignedOut()
    {
        var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, "/account/login", new() { ["Input.Email"] = "demo@monolith.local", ["Input.Password"] = "wrong-password" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Email or password is incorrect.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/organizations")).StatusCode);
    }

    [Fact]
    public async Task Login_ExternalReturnUrl_RedirectsHomeInstead()
    {
        var client = host.CreateClient();

        var response = await HttpForms.SubmitAsync(client, "/account/login?returnUrl=https%3A%2F%2Fevil.example%2F",
            new() { ["Input.Email"] = "demo@monolith.local", ["Input.Password"] = "demo-password-1", ["ReturnUrl"] = "https://evil.example/" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }
}
