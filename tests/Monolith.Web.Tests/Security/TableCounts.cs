using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Web.Tests.Security;

/// <summary>Row counts of every table in the EF model, to prove that a refused request wrote nothing anywhere.</summary>
internal static class TableCounts
{
    public static async Task<Dictionary<string, long>> ReadAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
#pragma warning disable EF1002 // table names come from the EF model, not from input
            counts[table] = await db.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM \"{table}\"").SingleAsync();
#pragma warning restore EF1002
        }

        return counts;
    }

    /// <summary>Tables whose row count changed, with the change (after − before).</summary>
    public static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Where(a => before.GetValueOrDefault(a.Key) != a.Value)
            .ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key), StringComparer.Ordinal);

    public static string Describe(Dictionary<string, long> delta) =>
        delta.Count == 0 ? "nothing" : string.Join(", ", delta.Select(d => $"{d.Key} {d.Value:+#;-#;0}"));
}
