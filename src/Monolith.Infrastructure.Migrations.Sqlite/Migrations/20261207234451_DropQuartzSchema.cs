using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monolith.Infrastructure.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// The SQLite side of the PostgreSQL migration of the same name: the SQLite baseline created no Quartz
    /// tables (Quartz used its in-memory store on SQLite), so there is nothing to drop. Kept so both providers list the same migrations.
    /// </summary>
    public partial class DropQuartzSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No Quartz tables on SQLite.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // No Quartz tables on SQLite.
        }
    }
}
