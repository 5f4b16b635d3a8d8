using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Monolith.Application.Billing.Checkout.CreateCheckoutSession;
using Monolith.Application.Billing.Purchases.ListOwnedProducts;
using Monolith.Application.Billing.Subscriptions;
using Monolith.Application.Billing.Subscriptions.ChangePlan;
using Monolith.Application.Billing.Subscriptions.ListSubscriptions;
using Monolith.Application.Common.Interfaces;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Entitlements;
using Monolith.Web.Common;

namespace Monolith.Web.Pages.Billing;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Checkout)] // POST (checkout) only: the policy never limits GET.
public sealed class PricingModel(IMediator mediator, PlanCatalog catalog, CatalogCopy copy, IAppOrigin origin, IOptions<EntitlementOptions> entitlements) : PageModel
{
    /// <param name="YearlySavingPercent">On the yearly tab: what the yearly price saves against 12 monthly payments.</param>
    public sealed record PlanOffer(Plan Plan, Price? Price, int? YearlySavingPercent);

    public CatalogCopy Copy => copy;

    /// <summary>The best yearly saving of any plan, shown on the "Yearly" tab (null: none).</summary>
    public int? BestYearlySavingPercent { get; private set; }

    public BillingInterval Interval { get; private set; } = BillingInterval.Month;
    public IReadOnlyList<PlanOffer> Plans { get; private set; } = [];
    public IReadOnlySet<string> CurrentPlanIds { get; private set; } = new HashSet<string>();

    /// <summary>The caller's live base-plan subscription: other base plans are offered as "Switch to …" (ChangePlan).</summary>
    public SubscriptionSummary? LiveBasePlan { get; private set; }

    /// <summary>One-time products the caller owns: not offered again unless the catalogue marks them repeatable.</summary>
    public IReadOnlySet<string> OwnedPlanIds { get; private set; } = new HashSet<string>();
    public string? Error { get; private set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>What the card of <paramref name="offer"/> offers the caller.</summary>
    public PlanAction ActionFor(PlanOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var price = offer.Price;
        if (price is null)
        {
            return PlanAction.None;
        }

        if (!price.IsRecurring)
        {
            return OwnedPlanIds.Contains(offer.Plan.Id) ? (offer.Plan.IsRepeatable ? PlanAction.BuyAgain : PlanAction.Owned) : PlanAction.Buy;
        }

        if (LiveBasePlan is { } live && !offer.Plan.IsAddOn)
        {
            return live.PlanId == offer.Plan.Id ? PlanAction.Current : price.Amount.AmountMinor == 0 ? PlanAction.None : PlanAction.Switch;
        }

        return CurrentPlanIds.Contains(offer.Plan.Id) ? PlanAction.Current : price.Amount.AmountMinor == 0 ? PlanAction.None : PlanAction.Choose;
    }

    public async Task OnGetAsync(string? interval, CancellationToken cancellationToken)
    {
        Interval = interval == "year" ? BillingInterval.Year : BillingInterval.Month;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckoutAsync(string priceId, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        var result = organization.IsFailure
            ? organization.Error
            : await mediator.Send(new CreateCheckoutSessionCommand(organization.Value, priceId, 1,
                new Uri(origin.Current, "/billing/success").ToString(), new Uri(origin.Current, "/billing/canceled").ToString()), cancellationToken);
        if (result is { IsSuccess: true } created)
        {
            return Redirect(created.Value.Url.ToString());
        }

        Error = result.Error!.Message;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private int? YearlySaving(string planId)
    {
        var active = catalog.Prices.Values.Where(p => p.PlanId == planId && p.IsActive).ToList();
        return active.Where(p => p.Interval == BillingInterval.Month)
            .SelectMany(monthly => active.Where(p => p.Interval == BillingInterval.Year).Select(yearly => BillingText.YearlySavingPercent(monthly, yearly)))
            .Max();
    }

    /// <summary>"Switch to …": the plan-change flow for the caller's live base-plan subscription, seats kept.</summary>
    public async Task<IActionResult> OnPostSwitchAsync(Guid subscriptionId, string priceId, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var organization = await CallerOrganization.ResolveAsync(mediator, null, cancellationToken);
        var subscriptions = organization.IsFailure
            ? Result<IReadOnlyList<SubscriptionSummary>>.Failure(organization.Error)
            : await mediator.Send(new ListSubscriptionsQuery(organization.Value), cancellationToken);
        var subscription = subscriptions.IsSuccess ? subscriptions.Value.FirstOrDefault(s => s.SubscriptionId == subscriptionId) : null;
        var result = subscription is null
            ? Result<SubscriptionChangeRequested>.Failure(subscriptions.Error ?? SubscriptionErrors.NotFound)
            : await mediator.Send(new ChangePlanCommand(organization.Value, subscriptionId, priceId, subscription.Quantity), cancellationToken);
        if (result.IsSuccess)
        {
            Message = "Plan change requested. It shows here as soon as the payment provider confirms it.";
            return Redirect("/billing");
        }

        Error = result.Error.Message;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var savings = catalog.Plans.Values.ToDictionary(plan => plan.Id, plan => YearlySaving(plan.Id), StringComparer.Ordinal);
        BestYearlySavingPercent = savings.Values.Max();
        Plans = catalog.Plans.Values
            .Select(plan => new PlanOffer(plan, catalog.Prices.Values
                .Where(p => p.PlanId == plan.Id && p.IsActive)
                .OrderBy(p => p.Interval == Interval ? 0 : p.Interval == BillingInterval.OneTime ? 1 : 2)
                .FirstOrDefault(), Interval == BillingInterval.Year ? savings[plan.Id] : null))
            .Where(o => o.Price is null || o.Price.Interval == Interval || o.Price.Interval == BillingInterval.OneTime || o.Price.Amount.AmountMinor == 0)
            .OrderBy(o => o.Price?.Interval == BillingInterval.OneTime ? 1 : 0)
            .ThenBy(o => o.Price?.Amount.AmountMinor ?? 0)
            .ToList();

        if (User.Identity?.IsAuthenticated == true
            && await CallerOrganization.ResolveAsync(mediator, null, cancellationToken) is { IsSuccess: true } organization
            && await mediator.Send(new ListSubscriptionsQuery(organization.Value), cancellationToken) is { IsSuccess: true } subscriptions)
        {
            var live = subscriptions.Value.Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Trialing or SubscriptionStatus.PastDue)
                .Where(s => s.DuplicateOf is null)
                .Select(s => s.PlanId).ToHashSet(StringComparer.Ordinal);
            LiveBasePlan = subscriptions.Value.FirstOrDefault(s => s.IsLiveBasePlan);
            if (await mediator.Send(new ListOwnedProductsQuery(organization.Value), cancellationToken) is { IsSuccess: true } owned)
            {
                OwnedPlanIds = owned.Value;
            }

            CurrentPlanIds = live.Count > 0 || entitlements.Value.DefaultPlan is not { Length: > 0 } defaultPlan
                ? live
                : new HashSet<string>(StringComparer.Ordinal) { defaultPlan };
        }
    }
}

public enum PlanAction
{
    None,
    Choose,
    Current,
    Switch,
    Buy,
    Owned,
    BuyAgain,
}
