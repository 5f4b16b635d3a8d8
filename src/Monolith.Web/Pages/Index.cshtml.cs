using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Accounts.Organizations.ListMyOrganizations;

namespace Monolith.Web.Pages;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<OrganizationSummary>? Organizations { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var result = await mediator.Send(new ListMyOrganizationsQuery(), cancellationToken);
        Organizations = result.IsSuccess ? result.Value : [];
    }
}
