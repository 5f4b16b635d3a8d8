-- V0006 scheduled jobs: drift reports written by reconciliation and dunning reminders (one per subscription and slot).
-- On SQLite Quartz uses its in-memory job store (one instance; docs/jobs.md), so there are no Quartz tables here.
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Sqlite', then reviewed.
CREATE TABLE "billing_drift_reports" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_drift_reports" PRIMARY KEY,
    "detected_at" INTEGER NOT NULL,
    "object_kind" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_object_id" TEXT NOT NULL,
    "billing_account_id" TEXT NULL,
    "before" TEXT NOT NULL,
    "after" TEXT NOT NULL,
    "changes" TEXT NOT NULL
);

CREATE TABLE "billing_dunning_reminders" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_dunning_reminders" PRIMARY KEY,
    "subscription_id" TEXT NOT NULL,
    "billing_account_id" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "reminded_at" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_dunning_reminders_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_billing_dunning_reminders_billing_subscriptions_subscription_id" FOREIGN KEY ("subscription_id") REFERENCES "billing_subscriptions" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_billing_drift_reports_billing_account_id_detected_at" ON "billing_drift_reports" ("billing_account_id", "detected_at");

CREATE INDEX "ix_billing_drift_reports_detected_at" ON "billing_drift_reports" ("detected_at");

CREATE INDEX "ix_billing_dunning_reminders_billing_account_id" ON "billing_dunning_reminders" ("billing_account_id");

CREATE UNIQUE INDEX "ix_billing_dunning_reminders_subscription_id_slot" ON "billing_dunning_reminders" ("subscription_id", "slot");
