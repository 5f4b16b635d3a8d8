using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Monolith.Application.Accounts.Organizations.GetOrganization;
using Monolith.Application.Billing.Entitlements;
using Monolith.Application.Billing.Entitlements.ListBalances;
using Monolith.Application.Billing.Invoices.ListInvoices;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Application.Billing.PaymentMethods.ListPaymentMethods;
using Monolith.Application.Billing.Portal.CreatePortalSession;
using Monolith.Application.Billing.Subscriptions;
using Monolith.Application.Billing.Subscriptions.CancelSubscription;
using Monolith.Application.Billing.Subscriptions.ChangePlan;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Application.Billing.Subscriptions.ResumeSubscription;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Entitlements;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Entitlements;
using Monolith.Web.Common;

namespace Monolith.Web.Pages.Billing;

[Authorize]
public sealed class BillingModel(
    IMediator mediator, PlanCatalog catalog, CatalogCopy copy, AccessPolicy accessPolicy, TimeProvider clock,
    IAppOrigin origin, ICurrentUser currentUser, IOptions<EntitlementOptions> entitlements) : PageModel
{
    /// <summary>What the customer should know or do about the subscription's state (null: nothing).</summary>
    internal BillingStatusBanner? Banner { get; private set; }

    public SubscriptionSummary? Subscription { get; private set; }
    public IReadOnlyList<FeatureBalance> Balances { get; private set; } = [];
    public IReadOnlyList<InvoiceSummary> Invoices { get; private set; } = [];
    public IReadOnlyList<Price> RecurringPrices { get; private set; } = [];
    public bool CanManage { get; private set; }
    public IReadOnlyList<PaymentMethodSummary> PaymentMethods { get; private set; } = [];
    public string DefaultPlanName => entitlements.Value.DefaultPlan is { } id ? PlanName(id) : "No plan";

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? Error { get; set; }

    public string PlanName(string planId) => catalog.FindPlan(planId) is { IsSuccess: true } plan ? plan.Value.Name : CatalogCopy.Words(planId);

    public string FeatureName(string featureId) => copy.FeatureName(featureId);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        if (organization.IsFailure)
        {
            return Forbid();
        }

        var org = organization.Value;
        var subscriptions = await mediator.Send(new ListSubscriptionsQuery(org), cancellationToken);
        // The account's base-plan subscription first (add-ons and recorded duplicates never stand for "the plan").
        Subscription = subscriptions.IsSuccess
            ? subscriptions.Value.FirstOrDefault(s => s.IsLiveBasePlan) ?? subscriptions.Value.FirstOrDefault(s => !s.IsAddOn && s.DuplicateOf is null) ?? subscriptions.Value.FirstOrDefault()
            : null;
        Balances = (await mediator.Send(new ListBalancesQuery(org), cancellationToken)) is { IsSuccess: true } b ? b.Value : [];
        Invoices = (await mediator.Send(new ListInvoicesQuery(org), cancellationToken)) is { IsSuccess: true } i ? i.Value : [];
        RecurringPrices = catalog.Prices.Values.Where(p => p.IsActive && p.IsRecurring && p.Amount.AmountMinor > 0).OrderBy(p => p.Amount.AmountMinor).ToList();
        Banner = Subscription is { } current
            ? BillingStatusBanner.For(current, Invoices, catalog.FindPrice(current.PriceId) is { IsSuccess: true } price ? price.Value : null,
                accessPolicy, clock.GetUtcNow())
            : null;
        var details = await mediator.Send(new GetOrganizationQuery(org), cancellationToken);
        CanManage = details.IsSuccess && details.Value.Members.Any(m => m.UserId == currentUser.UserId && m.Role.IsAtLeast(OrganizationRole.Admin));
        // The card on file (owners and admins, like the API): none before a first checkout, or when the provider cannot say.
        PaymentMethods = CanManage && await mediator.Send(new ListPaymentMethodsQuery(org), cancellationToken) is { IsSuccess: true } methods
            ? methods.Value
            : [];
        return Page();
    }

    public Task<IActionResult> OnPostCancelAsync(Guid subscriptionId, CancellationToken ct) =>
        ChangeAsync(org => new CancelSubscriptionCommand(org, subscriptionId), "Your subscription will end at the end of the period.", ct);

    public Task<IActionResult> OnPostResumeAsync(Guid subscriptionId, CancellationToken ct) =>
        ChangeAsync(org => new ResumeSubscriptionCommand(org, subscriptionId), "Your subscription will continue.", ct);

    public Task<IActionResult> OnPostChangeAsync(Guid subscriptionId, string priceId, int quantity, CancellationToken ct) =>
        ChangeAsync(org => new ChangePlanCommand(org, subscriptionId, priceId, quantity),
            "Plan change requested. It shows here as soon as the payment provider confirms it.", ct);

    public async Task<IActionResult> OnPostPortalAsync(CancellationToken cancellationToken)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        var portal = organization.IsFailure
            ? Result<PortalSessionCreated>.Failure(organization.Error)
            : await mediator.Send(new CreatePortalSessionCommand(organization.Value, new Uri(origin.Current, "/billing").ToString()), cancellationToken);
        if (portal.IsSuccess)
        {
            return Redirect(portal.Value.Url.ToString());
        }

        Error = portal.Error.Message;
        return RedirectToPage();
    }

    private async Task<IActionResult> ChangeAsync(
        Func<Guid, IRequest<Result<SubscriptionChangeRequested>>> command, string success, CancellationToken cancellationToken)
    {
        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        var result = organization.IsFailure
            ? Result<SubscriptionChangeRequested>.Failure(organization.Error)
            : await mediator.Send(command(organization.Value), cancellationToken);
        if (result.IsSuccess)
        {
            Message = success;
        }
        else
        {
            Error = result.Error.Message;
        }

        // Post/Redirect/Get: the page shows state as the webhooks have written it.
        return RedirectToPage();
    }
}
