using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monolith.Infrastructure.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OneLiveBasePlanSubscriptionPerAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "duplicate_of",
                table: "billing_subscriptions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_add_on",
                table: "billing_subscriptions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Accounts that already hold several live subscriptions keep the earliest one; the others are recorded as
            // its duplicates (listed for ops, granting nothing) so that the unique index below can be built.
            migrationBuilder.Sql("""
                UPDATE billing_subscriptions SET duplicate_of = (
                    SELECT k.id FROM billing_subscriptions k
                    WHERE k.billing_account_id = billing_subscriptions.billing_account_id AND k.status NOT IN ('Canceled', 'IncompleteExpired')
                    ORDER BY k.current_period_start, k.id LIMIT 1)
                WHERE status NOT IN ('Canceled', 'IncompleteExpired') AND id <> (
                    SELECT k.id FROM billing_subscriptions k
                    WHERE k.billing_account_id = billing_subscriptions.billing_account_id AND k.status NOT IN ('Canceled', 'IncompleteExpired')
                    ORDER BY k.current_period_start, k.id LIMIT 1);
                """);

            migrationBuilder.CreateIndex(
                name: "ux_billing_subscriptions_live_base_plan_per_account",
                table: "billing_subscriptions",
                column: "billing_account_id",
                unique: true,
                filter: "\"is_add_on\" = FALSE AND \"duplicate_of\" IS NULL AND \"status\" NOT IN ('Canceled', 'IncompleteExpired')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_billing_subscriptions_live_base_plan_per_account",
                table: "billing_subscriptions");

            migrationBuilder.DropColumn(
                name: "duplicate_of",
                table: "billing_subscriptions");

            migrationBuilder.DropColumn(
                name: "is_add_on",
                table: "billing_subscriptions");
        }
    }
}
