using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Application.Ops.BillingAccounts.FindBillingAccounts;
using Monolith.Web.Ops;

namespace Monolith.Web.Pages.Ops.Accounts;

public sealed class AccountsIndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<OrganizationMatch>? Matches { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Q))
        {
            return Page();
        }

        var found = await mediator.Send(new FindBillingAccountsQuery(Q), cancellationToken);
        if (found.IsFailure)
        {
            return this.Problem(found.Error!);
        }

        Matches = found.Value;
        return Page();
    }
}
