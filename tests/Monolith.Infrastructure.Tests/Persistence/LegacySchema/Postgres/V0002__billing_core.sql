-- V0002 billing core: accounts and provider customers, subscriptions, payments (captures, refunds), invoices,
-- checkout sessions, webhook inbox, usage events, parked provider events.
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Postgres', then reviewed.
CREATE TABLE billing_accounts (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    has_used_trial boolean NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_accounts PRIMARY KEY (id),
    CONSTRAINT fk_billing_accounts_organizations_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE RESTRICT
);

CREATE TABLE billing_provider_customers (
    billing_account_id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    customer_id character varying(255) NOT NULL,
    linked_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_billing_provider_customers PRIMARY KEY (billing_account_id, provider),
    CONSTRAINT fk_billing_provider_customers_billing_accounts FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE CASCADE
);

CREATE TABLE billing_subscriptions (
    id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_subscription_id character varying(255) NOT NULL,
    status character varying(32) NOT NULL,
    price_id character varying(255) NOT NULL,
    plan_id character varying(255) NOT NULL,
    quantity integer NOT NULL,
    current_period_start timestamp with time zone NOT NULL,
    current_period_end timestamp with time zone NOT NULL,
    trial_end timestamp with time zone,
    cancel_at_period_end boolean NOT NULL,
    canceled_at timestamp with time zone,
    ended_at timestamp with time zone,
    last_snapshot_at timestamp with time zone,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_subscriptions PRIMARY KEY (id),
    CONSTRAINT fk_billing_subscriptions_billing_accounts_billing_account_id FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT
);

CREATE TABLE billing_payments (
    id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_payment_id character varying(255) NOT NULL,
    kind character varying(32) NOT NULL,
    provider_invoice_id character varying(255),
    status character varying(32) NOT NULL,
    failed_at timestamp with time zone,
    failure_code character varying(255),
    succeeded_at timestamp with time zone,
    canceled_at timestamp with time zone,
    amount_amount_minor bigint NOT NULL,
    amount_currency character varying(3) NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_payments PRIMARY KEY (id),
    CONSTRAINT fk_billing_payments_billing_accounts_billing_account_id FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT
);

CREATE TABLE billing_payment_captures (
    payment_id uuid NOT NULL,
    provider_charge_id character varying(255) NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    amount_amount_minor bigint NOT NULL,
    amount_currency character varying(3) NOT NULL,
    CONSTRAINT pk_billing_payment_captures PRIMARY KEY (payment_id, provider_charge_id),
    CONSTRAINT fk_billing_payment_captures_billing_payments_payment_id FOREIGN KEY (payment_id) REFERENCES billing_payments (id) ON DELETE CASCADE
);

CREATE TABLE billing_payment_refunds (
    payment_id uuid NOT NULL,
    provider_refund_id character varying(255) NOT NULL,
    reason character varying(255),
    refunded_at timestamp with time zone NOT NULL,
    amount_amount_minor bigint NOT NULL,
    amount_currency character varying(3) NOT NULL,
    CONSTRAINT pk_billing_payment_refunds PRIMARY KEY (payment_id, provider_refund_id),
    CONSTRAINT fk_billing_payment_refunds_billing_payments_payment_id FOREIGN KEY (payment_id) REFERENCES billing_payments (id) ON DELETE CASCADE
);

CREATE TABLE billing_invoices (
    id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_invoice_id character varying(255) NOT NULL,
    provider_subscription_id character varying(255),
    status character varying(32) NOT NULL,
    period_start timestamp with time zone NOT NULL,
    period_end timestamp with time zone NOT NULL,
    hosted_url character varying(2048),
    pdf_url character varying(2048),
    attempt_count integer NOT NULL,
    paid_at timestamp with time zone,
    closed_at timestamp with time zone,
    amount_due_amount_minor bigint NOT NULL,
    amount_due_currency character varying(3) NOT NULL,
    amount_paid_amount_minor bigint NOT NULL,
    amount_paid_currency character varying(3) NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_invoices PRIMARY KEY (id),
    CONSTRAINT fk_billing_invoices_billing_accounts_billing_account_id FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT
);

CREATE TABLE billing_checkout_sessions (
    id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_session_id character varying(255) NOT NULL,
    price_id character varying(255) NOT NULL,
    mode character varying(32) NOT NULL,
    status character varying(32) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    provider_result_id character varying(255),
    version bigint NOT NULL,
    CONSTRAINT pk_billing_checkout_sessions PRIMARY KEY (id),
    CONSTRAINT fk_billing_checkout_sessions_billing_accounts FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT
);

CREATE TABLE billing_webhook_events (
    id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_event_id character varying(255) NOT NULL,
    type character varying(255) NOT NULL,
    payload text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    status character varying(32) NOT NULL,
    error character varying(2000),
    attempts integer NOT NULL,
    processed_at timestamp with time zone,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_webhook_events PRIMARY KEY (id)
);

CREATE TABLE billing_usage_events (
    id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    feature_id character varying(64) NOT NULL,
    quantity bigint NOT NULL,
    idempotency_key character varying(200) NOT NULL,
    period_start timestamp with time zone NOT NULL,
    period_end timestamp with time zone NOT NULL,
    mode character varying(32) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_usage_events PRIMARY KEY (id),
    CONSTRAINT fk_billing_usage_events_billing_accounts_billing_account_id FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT
);

CREATE TABLE billing_pending_provider_events (
    id uuid NOT NULL,
    provider character varying(32) NOT NULL,
    provider_event_id character varying(255) NOT NULL,
    wait_key character varying(600) NOT NULL,
    event_type character varying(100) NOT NULL,
    payload text NOT NULL,
    reason character varying(2000) NOT NULL,
    parked_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_billing_pending_provider_events PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_billing_accounts_organization_id ON billing_accounts (organization_id);

CREATE UNIQUE INDEX ix_billing_checkout_sessions_provider_provider_session_id ON billing_checkout_sessions (provider, provider_session_id);

CREATE UNIQUE INDEX ux_billing_checkout_sessions_open_per_price ON billing_checkout_sessions (billing_account_id, price_id) WHERE "status" = 'Open';

CREATE INDEX ix_billing_invoices_billing_account_id ON billing_invoices (billing_account_id);

CREATE UNIQUE INDEX ix_billing_invoices_provider_provider_invoice_id ON billing_invoices (provider, provider_invoice_id);

CREATE INDEX ix_billing_payments_billing_account_id ON billing_payments (billing_account_id);

CREATE UNIQUE INDEX ix_billing_payments_provider_provider_payment_id ON billing_payments (provider, provider_payment_id);

CREATE INDEX ix_billing_pending_provider_events_wait_key ON billing_pending_provider_events (wait_key);

CREATE UNIQUE INDEX ux_billing_pending_provider_events_event_wait_key ON billing_pending_provider_events (provider, provider_event_id, wait_key);

CREATE UNIQUE INDEX ix_billing_provider_customers_provider_customer_id ON billing_provider_customers (provider, customer_id);

CREATE INDEX ix_billing_subscriptions_billing_account_id ON billing_subscriptions (billing_account_id);

CREATE UNIQUE INDEX ix_billing_subscriptions_provider_provider_subscription_id ON billing_subscriptions (provider, provider_subscription_id);

CREATE INDEX ix_billing_usage_events_account_feature_period ON billing_usage_events (billing_account_id, feature_id, period_start);

CREATE UNIQUE INDEX ix_billing_usage_events_billing_account_id_idempotency_key ON billing_usage_events (billing_account_id, idempotency_key);

CREATE UNIQUE INDEX ix_billing_webhook_events_provider_provider_event_id ON billing_webhook_events (provider, provider_event_id);

CREATE INDEX ix_billing_webhook_events_status_received_at ON billing_webhook_events (status, received_at);
