using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Email;
using Monolith.Infrastructure.Identity;
using Monolith.Web.Common;

namespace Monolith.Web.Pages.Dev;

/// <summary>
/// The development mailbox: what the pickup sender wrote, newest first, and one message (text, HTML source, and the
/// HTML rendered in a sandboxed frame). Only in Development with the pickup sender active; 404 everywhere else. A
/// signed-in user sees the mail addressed to them; the ops role sees all of it (docs/email.md). Sign-in is asked for in
/// the handlers, after the availability check, so that outside Development the page is a plain 404 for everyone.
/// </summary>
public sealed class MailboxModel(PickupMailbox mailbox, IOptions<EmailOptions> options, IWebHostEnvironment environment) : PageModel
{
    /// <summary>
    /// The preview's own policy: no script at all, the email's inline styles and images, no forms, framed only by this
    /// origin, and sandboxed (a unique origin) with links opening in a new, unsandboxed tab.
    /// </summary>
    public const string PreviewContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

    public IReadOnlyList<PickedUpEmail> Messages { get; private set; } = [];

    public PickedUpEmail? Message { get; private set; }

    public string Folder => mailbox.Directory;

    /// <summary>True when the signed-in user sees every message, not only their own.</summary>
    public bool SeesAll => User.IsInRole(AppRoles.Ops);

    public static bool IsAvailable(IHostEnvironment environment, EmailOptions options) =>
        environment.IsDevelopment() && options.Sender == EmailSenderKind.Pickup;

    public IActionResult OnGet(string? id)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (id is null)
        {
            Messages = mailbox.List().Where(Visible).ToList();
            return Page();
        }

        Message = Find(id);
        return Message is null ? NotFound() : Page();
    }

    /// <summary>The HTML body alone, for the preview frame: links open in a new tab (<c>&lt;base target&gt;</c>).</summary>
    public IActionResult OnGetHtml(string? id)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (id is null || Find(id) is not { } message)
        {
            return NotFound();
        }

        SecurityHeaders.Override(HttpContext, PreviewContentSecurityPolicy, "SAMEORIGIN");
        return Content(WithLinksInNewTab(message.HtmlBody), "text/html; charset=utf-8");
    }

    private IActionResult? Refusal() =>
        !IsAvailable(environment, options.Value) ? NotFound()
        : User.Identity?.IsAuthenticated != true ? Challenge()
        : null;

    private PickedUpEmail? Find(string id) => mailbox.Find(id) is { } message && Visible(message) ? message : null;

    private bool Visible(PickedUpEmail message) =>
        SeesAll || string.Equals(message.To, User.Identity?.Name, StringComparison.OrdinalIgnoreCase);

    private static string WithLinksInNewTab(string html)
    {
        const string target = "<base target=\"_blank\">";
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 ? target + html : html.Insert(head + "<head>".Length, target);
    }
}
