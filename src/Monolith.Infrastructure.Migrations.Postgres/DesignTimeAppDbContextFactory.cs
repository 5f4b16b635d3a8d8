using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Migrations.Postgres;

/// <summary>
/// The context 'dotnet ef' uses for this provider, without the app's configuration: <c>migrations add</c>,
/// <c>script</c> and <c>bundle</c> need no database; commands that connect (<c>database update</c>) use
/// <c>ConnectionStrings__Postgres</c> when it is set.
/// </summary>
public sealed class DesignTimeAppDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DependencyInjection.ConfigureProvider(options, new DatabaseOptions
        {
            Provider = nameof(DatabaseProvider.Postgres),
            PostgresConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } configured ? configured : "Host=127.0.0.1;Database=monolith",
        });
        return new AppDbContext(options.Options, TimeProvider.System);
    }
}
