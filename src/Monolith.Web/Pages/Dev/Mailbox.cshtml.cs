using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Monolith.Infrastructure.Email;

namespace Monolith.Web.Pages.Dev;

/// <summary>
/// The development mailbox: what the pickup sender wrote, newest first, and one message (text, HTML source, and the
/// HTML rendered in a sandboxed frame). Only in Development with the pickup sender active; 404 everywhere else.
/// </summary>
public sealed class MailboxModel(PickupMailbox mailbox, IOptions<EmailOptions> options, IWebHostEnvironment environment) : PageModel
{
    public IReadOnlyList<PickedUpEmail> Messages { get; private set; } = [];

    public PickedUpEmail? Message { get; private set; }

    public string Folder => mailbox.Directory;

    public static bool IsAvailable(IHostEnvironment environment, EmailOptions options) =>
        environment.IsDevelopment() && options.Sender == EmailSenderKind.Pickup;

    public IActionResult OnGet(string? id)
    {
        if (!IsAvailable(environment, options.Value))
        {
            return NotFound();
        }

        if (id is null)
        {
            Messages = mailbox.List();
            return Page();
        }

        Message = mailbox.Find(id);
        return Message is null ? NotFound() : Page();
    }
}
