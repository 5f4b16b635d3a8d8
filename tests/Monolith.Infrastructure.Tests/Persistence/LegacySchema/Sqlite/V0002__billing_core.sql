-- V0002 billing core: accounts and provider customers, subscriptions, payments (captures, refunds), invoices,
-- checkout sessions, webhook inbox, usage events, parked provider events.
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Sqlite', then reviewed.
CREATE TABLE "billing_accounts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_accounts" PRIMARY KEY,
    "organization_id" TEXT NOT NULL,
    "has_used_trial" INTEGER NOT NULL,
    "opened_at" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_accounts_organizations_organization_id" FOREIGN KEY ("organization_id") REFERENCES "organizations" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_provider_customers" (
    "billing_account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "linked_at" INTEGER NOT NULL,
    CONSTRAINT "pk_billing_provider_customers" PRIMARY KEY ("billing_account_id", "provider"),
    CONSTRAINT "fk_billing_provider_customers_billing_accounts" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE CASCADE
);

CREATE TABLE "billing_subscriptions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_subscriptions" PRIMARY KEY,
    "billing_account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_subscription_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "price_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "current_period_start" INTEGER NOT NULL,
    "current_period_end" INTEGER NOT NULL,
    "trial_end" INTEGER NULL,
    "cancel_at_period_end" INTEGER NOT NULL,
    "canceled_at" INTEGER NULL,
    "ended_at" INTEGER NULL,
    "last_snapshot_at" INTEGER NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_subscriptions_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_payments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_payments" PRIMARY KEY,
    "billing_account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_payment_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "provider_invoice_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "failed_at" INTEGER NULL,
    "failure_code" TEXT NULL,
    "succeeded_at" INTEGER NULL,
    "canceled_at" INTEGER NULL,
    "amount_amount_minor" INTEGER NOT NULL,
    "amount_currency" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_payments_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_payment_captures" (
    "payment_id" TEXT NOT NULL,
    "provider_charge_id" TEXT NOT NULL,
    "captured_at" INTEGER NOT NULL,
    "amount_amount_minor" INTEGER NOT NULL,
    "amount_currency" TEXT NOT NULL,
    CONSTRAINT "pk_billing_payment_captures" PRIMARY KEY ("payment_id", "provider_charge_id"),
    CONSTRAINT "fk_billing_payment_captures_billing_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "billing_payments" ("id") ON DELETE CASCADE
);

CREATE TABLE "billing_payment_refunds" (
    "payment_id" TEXT NOT NULL,
    "provider_refund_id" TEXT NOT NULL,
    "reason" TEXT NULL,
    "refunded_at" INTEGER NOT NULL,
    "amount_amount_minor" INTEGER NOT NULL,
    "amount_currency" TEXT NOT NULL,
    CONSTRAINT "pk_billing_payment_refunds" PRIMARY KEY ("payment_id", "provider_refund_id"),
    CONSTRAINT "fk_billing_payment_refunds_billing_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "billing_payments" ("id") ON DELETE CASCADE
);

CREATE TABLE "billing_invoices" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_invoices" PRIMARY KEY,
    "billing_account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_invoice_id" TEXT NOT NULL,
    "provider_subscription_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "period_start" INTEGER NOT NULL,
    "period_end" INTEGER NOT NULL,
    "hosted_url" TEXT NULL,
    "pdf_url" TEXT NULL,
    "attempt_count" INTEGER NOT NULL,
    "paid_at" INTEGER NULL,
    "closed_at" INTEGER NULL,
    "amount_due_amount_minor" INTEGER NOT NULL,
    "amount_due_currency" TEXT NOT NULL,
    "amount_paid_amount_minor" INTEGER NOT NULL,
    "amount_paid_currency" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_invoices_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_checkout_sessions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_checkout_sessions" PRIMARY KEY,
    "billing_account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_session_id" TEXT NOT NULL,
    "price_id" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "expires_at" INTEGER NOT NULL,
    "closed_at" INTEGER NULL,
    "provider_result_id" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_checkout_sessions_billing_accounts" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_webhook_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_webhook_events" PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "received_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    "processed_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);

CREATE TABLE "billing_usage_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_usage_events" PRIMARY KEY,
    "billing_account_id" TEXT NOT NULL,
    "feature_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "period_start" INTEGER NOT NULL,
    "period_end" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_billing_usage_events_billing_accounts_billing_account_id" FOREIGN KEY ("billing_account_id") REFERENCES "billing_accounts" ("id") ON DELETE RESTRICT
);

CREATE TABLE "billing_pending_provider_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_billing_pending_provider_events" PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "provider_event_id" TEXT NOT NULL,
    "wait_key" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "parked_at" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "ix_billing_accounts_organization_id" ON "billing_accounts" ("organization_id");

CREATE UNIQUE INDEX "ix_billing_checkout_sessions_provider_provider_session_id" ON "billing_checkout_sessions" ("provider", "provider_session_id");

CREATE UNIQUE INDEX "ux_billing_checkout_sessions_open_per_price" ON "billing_checkout_sessions" ("billing_account_id", "price_id") WHERE "status" = 'Open';

CREATE INDEX "ix_billing_invoices_billing_account_id" ON "billing_invoices" ("billing_account_id");

CREATE UNIQUE INDEX "ix_billing_invoices_provider_provider_invoice_id" ON "billing_invoices" ("provider", "provider_invoice_id");

CREATE INDEX "ix_billing_payments_billing_account_id" ON "billing_payments" ("billing_account_id");

CREATE UNIQUE INDEX "ix_billing_payments_provider_provider_payment_id" ON "billing_payments" ("provider", "provider_payment_id");

CREATE INDEX "ix_billing_pending_provider_events_wait_key" ON "billing_pending_provider_events" ("wait_key");

CREATE UNIQUE INDEX "ux_billing_pending_provider_events_event_wait_key" ON "billing_pending_provider_events" ("provider", "provider_event_id", "wait_key");

CREATE UNIQUE INDEX "ix_billing_provider_customers_provider_customer_id" ON "billing_provider_customers" ("provider", "customer_id");

CREATE INDEX "ix_billing_subscriptions_billing_account_id" ON "billing_subscriptions" ("billing_account_id");

CREATE UNIQUE INDEX "ix_billing_subscriptions_provider_provider_subscription_id" ON "billing_subscriptions" ("provider", "provider_subscription_id");

CREATE INDEX "ix_billing_usage_events_account_feature_period" ON "billing_usage_events" ("billing_account_id", "feature_id", "period_start");

CREATE UNIQUE INDEX "ix_billing_usage_events_billing_account_id_idempotency_key" ON "billing_usage_events" ("billing_account_id", "idempotency_key");

CREATE UNIQUE INDEX "ix_billing_webhook_events_provider_provider_event_id" ON "billing_webhook_events" ("provider", "provider_event_id");

CREATE INDEX "ix_billing_webhook_events_status_received_at" ON "billing_webhook_events" ("status", "received_at");
