using Microsoft.AspNetCore.Mvc.Testing;
using Monolith.TestSupport;

namespace Monolith.Web.Tests.Common;

/// <summary>One app host on its own PostgreSQL database per test class.</summary>
public sealed class WebHostFixture : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    public MonolithWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = new MonolithWebFactory(_database);
        _ = Factory.Server;
    }

    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
