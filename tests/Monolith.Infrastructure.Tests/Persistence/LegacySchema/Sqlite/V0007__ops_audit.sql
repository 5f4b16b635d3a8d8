-- V0007 ops audit: one row per operator action on the ops dashboard (who, what, on what, when), written in the same
-- transaction as the action. Append-only.
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Sqlite', then reviewed.
CREATE TABLE "ops_audit" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ops_audit" PRIMARY KEY,
    "at" INTEGER NOT NULL,
    "actor_user_id" TEXT NULL,
    "actor_email" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "detail" TEXT NULL
);

CREATE INDEX "ix_ops_audit_at" ON "ops_audit" ("at");

CREATE INDEX "ix_ops_audit_target_id" ON "ops_audit" ("target_id");
