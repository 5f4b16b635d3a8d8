using Microsoft.EntityFrameworkCore;
using Monolith.Application.Ops.Common;
using Monolith.Infrastructure.Persistence;

namespace Monolith.Infrastructure.Ops;

internal sealed class EfOpsUsers(AppDbContext db) : IOpsUsers
{
    public async Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var ids = userIds.Distinct().ToList();
        return await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, Email = u.Email ?? u.UserName ?? string.Empty })
            .ToDictionaryAsync(u => u.Id, u => u.Email, ct);
    }

    public async Task<IReadOnlyList<Guid>> FindByEmailAsync(string term, int limit, CancellationToken ct)
    {
        // Identity keeps an upper-cased copy for exactly this kind of case-insensitive lookup.
        var normalized = term.Trim().ToUpperInvariant();
        if (normalized.Length == 0)
        {
            return [];
        }

        return await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail != null && u.NormalizedEmail.Contains(normalized))
            .OrderBy(u => u.NormalizedEmail)
            .Select(u => u.Id)
            .Take(limit)
            .ToListAsync(ct);
    }
}
