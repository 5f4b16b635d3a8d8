using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monolith.Infrastructure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BillingAccountEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "billing_email",
                table: "billing_accounts",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "billing_email_changed_at",
                table: "billing_accounts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "billing_email",
                table: "billing_accounts");

            migrationBuilder.DropColumn(
                name: "billing_email_changed_at",
                table: "billing_accounts");
        }
    }
}
