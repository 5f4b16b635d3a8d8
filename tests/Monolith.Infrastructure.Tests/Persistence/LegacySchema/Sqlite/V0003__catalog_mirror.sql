-- V0003 catalogue mirror: the configured plans (products) and prices with their provider price ids, written by
-- CatalogMirror at start-up. Rows are never deleted (old subscriptions and invoices refer to them).
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Sqlite', then reviewed.
CREATE TABLE "products" (
    "id" TEXT NOT NULL CONSTRAINT "pk_products" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "limits" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL
);

CREATE TABLE "prices" (
    "id" TEXT NOT NULL CONSTRAINT "pk_prices" PRIMARY KEY,
    "product_id" TEXT NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "fk_prices_products_product_id" FOREIGN KEY ("product_id") REFERENCES "products" ("id") ON DELETE RESTRICT
);

CREATE TABLE "price_provider_ids" (
    "price_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_price_id" TEXT NOT NULL,
    CONSTRAINT "pk_price_provider_ids" PRIMARY KEY ("price_id", "provider"),
    CONSTRAINT "fk_price_provider_ids_prices_price_id" FOREIGN KEY ("price_id") REFERENCES "prices" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_price_provider_ids_provider_provider_price_id" ON "price_provider_ids" ("provider", "provider_price_id");
CREATE INDEX "ix_prices_product_id" ON "prices" ("product_id");
