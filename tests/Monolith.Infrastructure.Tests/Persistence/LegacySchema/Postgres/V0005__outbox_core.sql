-- V0005 outbox core: messages remember when they were fanned out; one delivery per (message, handler); processed
-- markers (one per message and handler); one-time purchase fulfilments (one per payment).
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Postgres', then reviewed.
ALTER TABLE outbox_messages ADD dispatched_at timestamp with time zone NULL;

CREATE INDEX ix_outbox_messages_dispatched_at ON outbox_messages (dispatched_at);

CREATE TABLE outbox_deliveries (
    id uuid NOT NULL,
    message_id uuid NOT NULL,
    event_type character varying(200) NOT NULL,
    handler character varying(200) NOT NULL,
    state character varying(20) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    locked_by character varying(200),
    last_error character varying(1000),
    created_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT pk_outbox_deliveries PRIMARY KEY (id),
    CONSTRAINT fk_outbox_deliveries_outbox_messages_message_id FOREIGN KEY (message_id) REFERENCES outbox_messages (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_outbox_deliveries_message_id_handler ON outbox_deliveries (message_id, handler);

CREATE INDEX ix_outbox_deliveries_state_next_attempt_at ON outbox_deliveries (state, next_attempt_at);

CREATE TABLE outbox_processed (
    message_id uuid NOT NULL,
    handler character varying(200) NOT NULL,
    processed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_outbox_processed PRIMARY KEY (message_id, handler)
);

CREATE TABLE billing_fulfilments (
    id uuid NOT NULL,
    payment_id uuid NOT NULL,
    billing_account_id uuid NOT NULL,
    fulfilled_at timestamp with time zone NOT NULL,
    amount_amount_minor bigint NOT NULL,
    amount_currency character varying(3) NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_billing_fulfilments PRIMARY KEY (id),
    CONSTRAINT fk_billing_fulfilments_billing_accounts_billing_account_id FOREIGN KEY (billing_account_id) REFERENCES billing_accounts (id) ON DELETE RESTRICT,
    CONSTRAINT fk_billing_fulfilments_billing_payments_payment_id FOREIGN KEY (payment_id) REFERENCES billing_payments (id) ON DELETE RESTRICT
);

CREATE INDEX ix_billing_fulfilments_billing_account_id ON billing_fulfilments (billing_account_id);

CREATE UNIQUE INDEX ix_billing_fulfilments_payment_id ON billing_fulfilments (payment_id);
