using MediatR;
using Microsoft.AspNetCore.Mvc;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Accounts.Organizations.GetOrganization;
using Monolith.Application.Accounts.Organizations.ListMyOrganizations;
using Monolith.Application.Accounts.Organizations.RenameOrganization;
using Monolith.Web.Common;

namespace Monolith.Web.Accounts;

/// <summary>JSON API for organisations. Endpoints only bind, send and map the result.</summary>
internal static class OrganizationEndpoints
{
    public sealed record CreateOrganizationRequest(string Name);

    public sealed record RenameOrganizationRequest(string Name, long ExpectedVersion);

    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").RequireAuthorization().WithTags("Organizations");

        group.MapGet("/", async (IMediator mediator, HttpContext http, CancellationToken ct) =>
            (await mediator.Send(new ListMyOrganizationsQuery(), ct)).ToHttp(http));

        group.MapGet("/{organizationId:guid}", async (Guid organizationId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            (await mediator.Send(new GetOrganizationQuery(organizationId), ct)).ToHttp(http));

        group.MapPost("/", async (
                CreateOrganizationRequest body,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator,
                HttpContext http,
                CancellationToken ct) =>
            (await mediator.Send(new CreateOrganizationCommand(body.Name, idempotencyKey), ct))
                .ToCreated(http, created => $"/api/organizations/{created.OrganizationId}"));

        group.MapPut("/{organizationId:guid}/name", async (
                Guid organizationId, RenameOrganizationRequest body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            (await mediator.Send(new RenameOrganizationCommand(organizationId, body.Name, body.ExpectedVersion), ct)).ToHttp(http));

        return app;
    }
}
