using Monolith.Application.Common.Messaging;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Billing.Payments;

namespace Monolith.Application.Billing.Invoices.ListInvoices;

/// <summary>The organisation's invoices, newest first (at most 100). Any member may read them.</summary>
public sealed record ListInvoicesQuery(Guid OrganizationId) : IQuery<IReadOnlyList<InvoiceSummary>>, IOrganizationRequest
{
    public OrganizationRole MinimumRole => OrganizationRole.Member;
}

public sealed record InvoiceSummary(
    Guid InvoiceId,
    InvoiceStatus Status,
    long AmountDueMinor,
    long AmountPaidMinor,
    string Currency,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    Uri? HostedUrl,
    Uri? PdfUrl);
