-- V0004: the hosted checkout URL, so an open session for the same account and price is reused, not duplicated.
ALTER TABLE "billing_checkout_sessions" ADD "url" TEXT NULL;
