-- V0005 outbox core: messages remember when they were fanned out; one delivery per (message, handler); processed
-- markers (one per message and handler); one-time purchase fulfilments (one per payment).
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Sqlite', then reviewed.
ALTER TABLE "outbox_messages" ADD "dispatched_at" INTEGER NULL;

CREATE INDEX "ix_outbox_messages_dispatched_at" ON "outbox_messages" ("dispatched_at");

CREATE TABLE "outbox_deliveries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_outbox_deliveries" PRIMARY KEY,
    "message_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "handler" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NOT NULL,
    "locked_until" INTEGER NULL,
    "locked_by" TEXT NULL,
    "last_error" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "completed_at" INTEGER NULL,
    CONSTRAINT "fk_outbox_deliveries_outbox_messages_message_id" FOREIGN KEY ("message_id") REFERENCES "outbox_messages" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_outbox_deliveries_message_id_handler" ON "outbox_deliveries" ("message_id", "handler");

CREATE INDEX "ix_outbox_deliveries_state_next_attempt_at" ON "outbox_deliveries" ("state", "next_attempt_at");

CREATE TABLE "outbox_processed" (
    "message_id" TEXT NOT NULL,
    "handler" TEXT NOT NULL,
    "processed_at" INTEGER NOT NULL,
    CONSTRAINT "pk_outbox_processed" PRIMARY KEY ("message_id", "handler")
);

CREATE TABLE "billing_fulfilments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_fulfilments" PRIMARY KEY,
    "payment_id" TEXT NOT NULL,
    "billing_account_id" TEXT NOT NULL,
    "fulfilled_at" INTEGER NOT NULL,
    "amount_amount_minor" INTEGER NOT NULL,
    "amount_currency" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_fulfilments_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_billing_fulfilments_billing_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "billing_payments" ("id") ON DELETE RESTRICT
);

CREATE INDEX "ix_billing_fulfilments_billing_account_id" ON "billing_fulfilments" ("billing_account_id");

CREATE UNIQUE INDEX "ix_billing_fulfilments_payment_id" ON "billing_fulfilments" ("payment_id");
