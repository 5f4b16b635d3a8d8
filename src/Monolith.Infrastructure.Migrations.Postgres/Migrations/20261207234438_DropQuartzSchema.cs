using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monolith.Infrastructure.Migrations.Postgres.Migrations
{
    /// <summary>
    /// Drops Quartz's job store (schema 'quartz', created by the baseline): recurring jobs run on Hangfire in schema
    /// 'hangfire' since ADR 0004 and nothing reads these tables. Down recreates them empty, as the baseline did.
    /// </summary>
    public partial class DropQuartzSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP SCHEMA IF EXISTS quartz CASCADE;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Baseline.QuartzTables);
        }
    }
}
