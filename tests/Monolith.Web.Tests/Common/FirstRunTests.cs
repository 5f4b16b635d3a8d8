using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Common;

/// <summary>
/// What a developer sees on the first <c>dotnet run</c>: a quiet start whose last line says where the app listens and
/// how to sign in, the development accounts on the home and sign-in pages (and nowhere outside Development), a favicon.
/// </summary>
public sealed partial class FirstRunTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public async Task DevelopmentStart_PrintsTheSignInBannerLast_AndThePagesShowTheAccounts()
    {
        var mail = Directory.CreateTempSubdirectory("monolith-firstrun-mail-").FullName;
        await using var app = AppProcess.Start("--urls http://127.0.0.1:0", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Sqlite"] = AppProcess.ThrowawaySqlite(),
            ["Email__Pickup__Directory"] = mail,
        });

        var banner = await app.WaitForLineAsync(line => line.Contains("Monolith is ready on", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        var lines = app.Lines;
        Assert.True(
            lines.ToList().FindIndex(line => line.Contains("Content root path", StringComparison.Ordinal)) < lines.ToList().IndexOf(banner),
            $"the banner must follow the host's own start-up lines:\n{string.Join('\n', lines)}");
        Assert.Contains("demo@monolith.local / demo-password-1", banner, StringComparison.Ordinal);
        Assert.Contains("ops@monolith.local / ops-password-1", banner, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Contains("DataProtection", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));

        var address = ListeningAddress().Match(banner);
        Assert.True(address.Success, banner);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address.Value) };
        foreach (var page in new[] { "/", "/account/login" })
        {
            var html = await client.GetStringAsync(page);
            Assert.Contains("data-testid=\"development-accounts\"", html, StringComparison.Ordinal);
            Assert.Contains("demo@monolith.local", html, StringComparison.Ordinal);
            Assert.Contains("ops-password-1", html, StringComparison.Ordinal);
            Assert.Contains("rel=\"icon\" href=\"/favicon.svg\"", html, StringComparison.Ordinal);
        }

        using var ico = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.MovedPermanently, ico.StatusCode);
        Assert.Equal("/favicon.svg", ico.Headers.Location?.OriginalString);
        using var svg = await client.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Directory.Delete(mail, recursive: true);
    }

    [Fact]
    public async Task OutsideDevelopment_NoPageShowsTheDevelopmentAccounts()
    {
        await using var factory = new MonolithWebFactory(database, "Production");
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        foreach (var page in new[] { "/", "/account/login" })
        {
            var html = await client.GetStringAsync(page);
            Assert.Contains("Sign in", html, StringComparison.Ordinal);
            Assert.DoesNotContain("development-accounts", html, StringComparison.Ordinal);
            Assert.DoesNotContain("demo-password-1", html, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningAddress();
}
