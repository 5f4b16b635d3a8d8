#!/usr/bin/env bash
# Adds an EF Core migration for every supported provider (PostgreSQL, SQLite), each into its own migrations project
# (docs/adr/0003-ef-core-migrations.md):   bash build/add-migration.sh AddInvoiceNotes
# Extra arguments go to 'dotnet ef migrations add'. Each migrations project is its own startup project: no
# configuration and no database are needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bash build/add-migration.sh <MigrationName> [dotnet ef options]" >&2; exit 2; }
name=$1; shift

dotnet tool restore >/dev/null
for provider in Postgres Sqlite; do
  project="src/Monolith.Infrastructure.Migrations.$provider"
  echo "add-migration: $name for $provider ($project)"
  dotnet build "$project" -nologo -v:q >/dev/null || dotnet build "$project" -nologo -v:q
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --no-build --output-dir Migrations "$@"
done
