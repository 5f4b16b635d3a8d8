-- V0007 ops audit: one row per operator action on the ops dashboard (who, what, on what, when), written in the same
-- transaction as the action. Append-only.
-- Generated with 'dotnet run --project src/Monolith.Web -- schema-script --provider Postgres', then reviewed.
CREATE TABLE ops_audit (
    id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_user_id uuid,
    actor_email character varying(256) NOT NULL,
    action character varying(100) NOT NULL,
    target_kind character varying(50) NOT NULL,
    target_id character varying(200) NOT NULL,
    detail character varying(2000),
    CONSTRAINT pk_ops_audit PRIMARY KEY (id)
);

CREATE INDEX ix_ops_audit_at ON ops_audit (at);

CREATE INDEX ix_ops_audit_target_id ON ops_audit (target_id);
