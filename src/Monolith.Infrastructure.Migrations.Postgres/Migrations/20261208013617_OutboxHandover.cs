using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monolith.Infrastructure.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OutboxHandover : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "hangfire_job_id",
                table: "outbox_deliveries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "hangfire_job_id",
                table: "outbox_deliveries");
        }
    }
}
