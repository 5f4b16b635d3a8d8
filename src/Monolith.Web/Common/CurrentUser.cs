using System.Security.Claims;
using Monolith.Application.Common.Interfaces;
using Monolith.Infrastructure.Identity;

namespace Monolith.Web.Common;

internal sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public Guid? UserId =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public bool IsOps => accessor.HttpContext?.User.IsInRole(AppRoles.Ops) == true;
}
