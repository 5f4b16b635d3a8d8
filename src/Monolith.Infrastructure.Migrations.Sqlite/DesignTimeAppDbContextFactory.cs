using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Migrations.Sqlite;

/// <summary>
/// The context 'dotnet ef' uses for this provider, without the app's configuration: <c>migrations add</c>,
/// <c>script</c> and <c>bundle</c> need no database; commands that connect (<c>database update</c>) use
/// <c>ConnectionStrings__Sqlite</c> when it is set.
/// </summary>
public sealed class DesignTimeAppDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DependencyInjection.ConfigureProvider(options, new DatabaseOptions
        {
            Provider = nameof(DatabaseProvider.Sqlite),
            SqliteConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Sqlite") is { Length: > 0 } configured ? configured : "Data Source=:memory:",
        });
        return new AppDbContext(options.Options, TimeProvider.System);
    }
}
