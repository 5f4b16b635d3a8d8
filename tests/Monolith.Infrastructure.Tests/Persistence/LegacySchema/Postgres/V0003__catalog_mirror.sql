-- V0003 catalogue mirror: the configured plans (products) and prices with their provider price ids, written by
-- CatalogMirror at start-up. Rows are never deleted (old subscriptions and invoices refer to them).
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Postgres', then reviewed.
CREATE TABLE products (
    id character varying(64) NOT NULL,
    name text NOT NULL,
    features text NOT NULL,
    limits text NOT NULL,
    active boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_products PRIMARY KEY (id)
);

CREATE TABLE prices (
    id character varying(64) NOT NULL,
    product_id character varying(64) NOT NULL,
    amount_minor bigint NOT NULL,
    currency character varying(3) NOT NULL,
    interval character varying(16) NOT NULL,
    active boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_prices PRIMARY KEY (id),
    CONSTRAINT fk_prices_products_product_id FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE RESTRICT
);

CREATE TABLE price_provider_ids (
    price_id character varying(64) NOT NULL,
    provider character varying(32) NOT NULL,
    provider_price_id character varying(255) NOT NULL,
    CONSTRAINT pk_price_provider_ids PRIMARY KEY (price_id, provider),
    CONSTRAINT fk_price_provider_ids_prices_price_id FOREIGN KEY (price_id) REFERENCES prices (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_price_provider_ids_provider_provider_price_id ON price_provider_ids (provider, provider_price_id);
CREATE INDEX ix_prices_product_id ON prices (product_id);
