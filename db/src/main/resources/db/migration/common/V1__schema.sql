-- Tandem schema, version 1: the whole data model.
--
-- One script serves PostgreSQL >= 14 and MySQL >= 8.0 / MariaDB >= 10.6. Where the dialects
-- differ, a Flyway placeholder stands in (values in io.tandem.db.TandemSchema):
--   ${pk_identity}    auto-generated BIGINT primary key
--   ${ts_ms}          timestamp with millisecond precision, always UTC (TIMESTAMP(3) / DATETIME(3))
--   ${table_options}  InnoDB + utf8mb4 on MySQL, nothing on PostgreSQL
-- Money is DECIMAL(20,6). Names avoid words reserved in either dialect (user, key, range, ...).

-- ---------------------------------------------------------------------------------------------
-- Accounts: customers (buy from us), vendors (sell to us) or both.
-- held = money reserved by live calls and balance leases on all nodes. Available money is
-- balance - held + credit_limit; every debit is a guarded UPDATE on that expression.
CREATE TABLE account (
    id                      ${pk_identity},
    name                    VARCHAR(128)   NOT NULL,
    kind                    VARCHAR(16)    NOT NULL,
    currency                CHAR(3)        NOT NULL,
    balance                 DECIMAL(20,6)  NOT NULL DEFAULT 0,
    held                    DECIMAL(20,6)  NOT NULL DEFAULT 0,
    credit_limit            DECIMAL(20,6)  NOT NULL DEFAULT 0,
    status                  VARCHAR(16)    NOT NULL DEFAULT 'active',
    max_cps                 INT,
    max_concurrent_calls    INT,
    daily_spend_limit       DECIMAL(20,6),
    low_balance_threshold   DECIMAL(20,6),
    suspend_at_zero         BOOLEAN        NOT NULL DEFAULT FALSE,
    created_at              ${ts_ms}       NOT NULL,
    updated_at              ${ts_ms}       NOT NULL,
    CONSTRAINT uq_account_name UNIQUE (name),
    CONSTRAINT ck_account_kind CHECK (kind IN ('customer', 'vendor', 'both')),
    CONSTRAINT ck_account_status CHECK (status IN ('active', 'suspended', 'closed')),
    CONSTRAINT ck_account_credit CHECK (credit_limit >= 0),
    CONSTRAINT ck_account_held CHECK (held >= 0),
    CONSTRAINT ck_account_max_cps CHECK (max_cps IS NULL OR max_cps >= 0),
    CONSTRAINT ck_account_max_calls CHECK (max_concurrent_calls IS NULL OR max_concurrent_calls >= 0)
) ${table_options};

-- Money spent per account and UTC day, for the daily spend limit.
CREATE TABLE account_daily_spend (
    account_id  BIGINT         NOT NULL,
    spend_day   DATE           NOT NULL,
    spent       DECIMAL(20,6)  NOT NULL DEFAULT 0,
    CONSTRAINT pk_account_daily_spend PRIMARY KEY (account_id, spend_day),
    CONSTRAINT fk_daily_spend_account FOREIGN KEY (account_id) REFERENCES account (id)
) ${table_options};

-- ---------------------------------------------------------------------------------------------
-- Routing profiles: how a customer's calls choose vendors.
CREATE TABLE routing_profile (
    id                   ${pk_identity},
    name                 VARCHAR(128)   NOT NULL,
    strategy             VARCHAR(16)    NOT NULL DEFAULT 'lcr',
    min_margin           DECIMAL(20,6)  NOT NULL DEFAULT 0,
    min_margin_percent   DECIMAL(9,4)   NOT NULL DEFAULT 0,
    allow_loss           BOOLEAN        NOT NULL DEFAULT FALSE,
    max_attempts         INT            NOT NULL DEFAULT 5,
    created_at           ${ts_ms}       NOT NULL,
    updated_at           ${ts_ms}       NOT NULL,
    CONSTRAINT uq_routing_profile_name UNIQUE (name),
    CONSTRAINT ck_routing_profile_strategy CHECK (strategy IN ('lcr', 'priority', 'weighted', 'quality')),
    CONSTRAINT ck_routing_profile_attempts CHECK (max_attempts BETWEEN 1 AND 20)
) ${table_options};

-- ---------------------------------------------------------------------------------------------
-- Ingress trunks: how a customer's traffic is recognised and normalised.
-- source_cidrs: comma-separated CIDRs (IPv4/IPv6). Translation rules: JSON arrays of
-- {"match": regex, "replace": replacement}, applied in order.
CREATE TABLE ingress_trunk (
    id                    ${pk_identity},
    account_id            BIGINT         NOT NULL,
    name                  VARCHAR(128)   NOT NULL,
    source_cidrs          VARCHAR(2000)  NOT NULL,
    tech_prefix           VARCHAR(16)    NOT NULL DEFAULT '',
    callee_translations   TEXT,
    caller_translations   TEXT,
    routing_profile_id    BIGINT,
    sell_deck_id          BIGINT,
    media_mode            VARCHAR(16)    NOT NULL DEFAULT 'relay',
    max_cps               INT,
    max_concurrent_calls  INT,
    enabled               BOOLEAN        NOT NULL DEFAULT TRUE,
    created_at            ${ts_ms}       NOT NULL,
    updated_at            ${ts_ms}       NOT NULL,
    CONSTRAINT uq_ingress_trunk_name UNIQUE (name),
    CONSTRAINT fk_ingress_trunk_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT fk_ingress_trunk_profile FOREIGN KEY (routing_profile_id) REFERENCES routing_profile (id),
    CONSTRAINT ck_ingress_trunk_media CHECK (media_mode IN ('relay', 'bypass'))
) ${table_options};
CREATE INDEX ix_ingress_trunk_account ON ingress_trunk (account_id);

-- Digest credentials of a trunk. Only HA1 hashes are stored (RFC 7616 MD5 and SHA-256).
CREATE TABLE trunk_digest_user (
    id            ${pk_identity},
    trunk_id      BIGINT        NOT NULL,
    username      VARCHAR(128)  NOT NULL,
    realm         VARCHAR(128)  NOT NULL,
    ha1_md5       CHAR(32)      NOT NULL,
    ha1_sha256    CHAR(64)      NOT NULL,
    created_at    ${ts_ms}      NOT NULL,
    CONSTRAINT uq_trunk_digest_user UNIQUE (realm, username),
    CONSTRAINT fk_trunk_digest_user_trunk FOREIGN KEY (trunk_id) REFERENCES ingress_trunk (id)
) ${table_options};

-- Destinations a customer may never call (e.g. premium-rate ranges).
CREATE TABLE blocked_destination (
    id          ${pk_identity},
    account_id  BIGINT        NOT NULL,
    prefix      VARCHAR(32)   NOT NULL,
    reason      VARCHAR(255)  NOT NULL DEFAULT '',
    created_at  ${ts_ms}      NOT NULL,
    CONSTRAINT uq_blocked_destination UNIQUE (account_id, prefix),
    CONSTRAINT fk_blocked_destination_account FOREIGN KEY (account_id) REFERENCES account (id)
) ${table_options};

-- ---------------------------------------------------------------------------------------------
-- Vendor gateways: where a vendor takes our calls.
CREATE TABLE vendor_gateway (
    id               ${pk_identity},
    account_id       BIGINT        NOT NULL,
    name             VARCHAR(128)  NOT NULL,
    host             VARCHAR(255)  NOT NULL,
    port             INT           NOT NULL DEFAULT 5060,
    transport        VARCHAR(8)    NOT NULL DEFAULT 'udp',
    tech_prefix      VARCHAR(16)   NOT NULL DEFAULT '',
    priority         INT           NOT NULL DEFAULT 100,
    weight           INT           NOT NULL DEFAULT 100,
    max_cps          INT,
    max_concurrent_calls INT,
    failover_codes   VARCHAR(255)  NOT NULL DEFAULT '408,480,500,502,503,504',
    enabled          BOOLEAN       NOT NULL DEFAULT TRUE,
    created_at       ${ts_ms}      NOT NULL,
    updated_at       ${ts_ms}      NOT NULL,
    CONSTRAINT uq_vendor_gateway_name UNIQUE (name),
    CONSTRAINT fk_vendor_gateway_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_vendor_gateway_transport CHECK (transport IN ('udp', 'tcp', 'tls')),
    CONSTRAINT ck_vendor_gateway_port CHECK (port BETWEEN 1 AND 65535),
    CONSTRAINT ck_vendor_gateway_weight CHECK (weight >= 0)
) ${table_options};
CREATE INDEX ix_vendor_gateway_account ON vendor_gateway (account_id);

-- Rules of a routing profile: which vendors may carry which prefixes, in what order / share.
-- prefix '' matches every number. vendor_gateway_id NULL means every gateway of the vendor.
CREATE TABLE routing_rule (
    id                 ${pk_identity},
    profile_id         BIGINT         NOT NULL,
    prefix             VARCHAR(32)    NOT NULL DEFAULT '',
    vendor_account_id  BIGINT         NOT NULL,
    vendor_gateway_id  BIGINT,
    priority           INT            NOT NULL DEFAULT 100,
    weight             INT            NOT NULL DEFAULT 100,
    rate_ceiling       DECIMAL(20,6),
    enabled            BOOLEAN        NOT NULL DEFAULT TRUE,
    created_at         ${ts_ms}       NOT NULL,
    CONSTRAINT fk_routing_rule_profile FOREIGN KEY (profile_id) REFERENCES routing_profile (id),
    CONSTRAINT fk_routing_rule_vendor FOREIGN KEY (vendor_account_id) REFERENCES account (id),
    CONSTRAINT fk_routing_rule_gateway FOREIGN KEY (vendor_gateway_id) REFERENCES vendor_gateway (id)
) ${table_options};
CREATE INDEX ix_routing_rule_profile ON routing_rule (profile_id, prefix);

-- ---------------------------------------------------------------------------------------------
-- Rate decks: a customer's sell prices or a vendor's buy prices.
CREATE TABLE rate_deck (
    id              ${pk_identity},
    account_id      BIGINT        NOT NULL,
    name            VARCHAR(128)  NOT NULL,
    direction       VARCHAR(4)    NOT NULL,
    currency        CHAR(3)       NOT NULL,
    notice_days     INT           NOT NULL DEFAULT 7,
    grace_seconds   INT           NOT NULL DEFAULT 0,
    deck_version    BIGINT        NOT NULL DEFAULT 0,
    created_at      ${ts_ms}      NOT NULL,
    updated_at      ${ts_ms}      NOT NULL,
    CONSTRAINT uq_rate_deck_name UNIQUE (account_id, name),
    CONSTRAINT fk_rate_deck_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_rate_deck_direction CHECK (direction IN ('sell', 'buy'))
) ${table_options};

-- Deck imports: every uploaded file, previewed or committed, with its row errors (JSON).
CREATE TABLE deck_import (
    id                ${pk_identity},
    deck_id           BIGINT        NOT NULL,
    uploaded_by       VARCHAR(128)  NOT NULL,
    uploaded_at       ${ts_ms}      NOT NULL,
    committed_at      ${ts_ms},
    file_name         VARCHAR(255)  NOT NULL,
    file_sha256       CHAR(64)      NOT NULL,
    file_format       VARCHAR(32)   NOT NULL,
    import_mode       VARCHAR(8)    NOT NULL,
    effective_from    ${ts_ms}      NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    row_count         INT           NOT NULL DEFAULT 0,
    new_count         INT           NOT NULL DEFAULT 0,
    increased_count   INT           NOT NULL DEFAULT 0,
    decreased_count   INT           NOT NULL DEFAULT 0,
    unchanged_count   INT           NOT NULL DEFAULT 0,
    closed_count      INT           NOT NULL DEFAULT 0,
    error_count       INT           NOT NULL DEFAULT 0,
    row_errors        TEXT,
    CONSTRAINT fk_deck_import_deck FOREIGN KEY (deck_id) REFERENCES rate_deck (id),
    CONSTRAINT ck_deck_import_mode CHECK (import_mode IN ('full', 'update')),
    CONSTRAINT ck_deck_import_status CHECK (status IN ('previewed', 'committed', 'rejected', 'failed'))
) ${table_options};
CREATE INDEX ix_deck_import_deck ON deck_import (deck_id, uploaded_at);

-- Rates: one row per prefix and validity period. effective_until NULL = open-ended.
-- A lookup at time t uses the row with effective_from <= t < effective_until.
CREATE TABLE rate (
    id                 ${pk_identity},
    deck_id            BIGINT         NOT NULL,
    prefix             VARCHAR(32)    NOT NULL,
    destination        VARCHAR(128)   NOT NULL DEFAULT '',
    rate_per_minute    DECIMAL(20,6)  NOT NULL,
    connect_fee        DECIMAL(20,6)  NOT NULL DEFAULT 0,
    initial_increment  INT            NOT NULL DEFAULT 60,
    next_increment     INT            NOT NULL DEFAULT 60,
    effective_from     ${ts_ms}       NOT NULL,
    effective_until    ${ts_ms},
    blocked            BOOLEAN        NOT NULL DEFAULT FALSE,
    import_id          BIGINT,
    CONSTRAINT fk_rate_deck FOREIGN KEY (deck_id) REFERENCES rate_deck (id),
    CONSTRAINT fk_rate_import FOREIGN KEY (import_id) REFERENCES deck_import (id),
    CONSTRAINT ck_rate_money CHECK (rate_per_minute >= 0 AND connect_fee >= 0),
    CONSTRAINT ck_rate_increments CHECK (initial_increment >= 0 AND next_increment >= 1)
) ${table_options};
CREATE INDEX ix_rate_deck_prefix ON rate (deck_id, prefix, effective_from);

-- ---------------------------------------------------------------------------------------------
-- Money held for live calls. A lease is a node's slice of an account's available money,
-- served to many calls from memory; a reservation holds money for one call. Both are
-- counted in account.held and carry the node and an expiry so peers can reclaim them.
CREATE TABLE balance_lease (
    id           ${pk_identity},
    account_id   BIGINT         NOT NULL,
    node_id      VARCHAR(64)    NOT NULL,
    amount       DECIMAL(20,6)  NOT NULL,
    granted_at   ${ts_ms}       NOT NULL,
    expires_at   ${ts_ms}       NOT NULL,
    CONSTRAINT uq_balance_lease UNIQUE (account_id, node_id),
    CONSTRAINT fk_balance_lease_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_balance_lease_amount CHECK (amount >= 0)
) ${table_options};
CREATE INDEX ix_balance_lease_expiry ON balance_lease (expires_at);

CREATE TABLE balance_reservation (
    id           ${pk_identity},
    call_uuid    CHAR(36)       NOT NULL,
    account_id   BIGINT         NOT NULL,
    node_id      VARCHAR(64)    NOT NULL,
    amount       DECIMAL(20,6)  NOT NULL,
    created_at   ${ts_ms}       NOT NULL,
    expires_at   ${ts_ms}       NOT NULL,
    CONSTRAINT uq_balance_reservation_call UNIQUE (call_uuid),
    CONSTRAINT fk_balance_reservation_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_balance_reservation_amount CHECK (amount >= 0)
) ${table_options};
CREATE INDEX ix_balance_reservation_node ON balance_reservation (node_id, expires_at);

-- Ledger: every change of a balance. The balance always equals the sum of its entries.
-- idempotency_key makes a settlement ("call:<uuid>") or an API top-up replay-safe.
CREATE TABLE ledger_entry (
    id               ${pk_identity},
    account_id       BIGINT         NOT NULL,
    kind             VARCHAR(16)    NOT NULL,
    amount           DECIMAL(20,6)  NOT NULL,
    balance_after    DECIMAL(20,6)  NOT NULL,
    call_uuid        CHAR(36),
    idempotency_key  VARCHAR(128),
    reference        VARCHAR(255)   NOT NULL DEFAULT '',
    created_by       VARCHAR(128)   NOT NULL,
    created_at       ${ts_ms}       NOT NULL,
    CONSTRAINT uq_ledger_idempotency UNIQUE (idempotency_key),
    CONSTRAINT fk_ledger_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_ledger_kind CHECK (kind IN ('opening', 'topup', 'adjustment', 'call', 'rerate'))
) ${table_options};
CREATE INDEX ix_ledger_account ON ledger_entry (account_id, created_at);
CREATE INDEX ix_ledger_call ON ledger_entry (call_uuid);

-- ---------------------------------------------------------------------------------------------
-- CDRs: one row per attempt (answered or failed), with both rate snapshots and both costs.
CREATE TABLE cdr (
    id                    ${pk_identity},
    call_uuid             CHAR(36)       NOT NULL,
    attempt               SMALLINT       NOT NULL,
    node_id               VARCHAR(64)    NOT NULL,
    sip_call_id           VARCHAR(255)   NOT NULL,
    customer_account_id   BIGINT         NOT NULL,
    ingress_trunk_id      BIGINT,
    vendor_account_id     BIGINT,
    vendor_gateway_id     BIGINT,
    caller_in             VARCHAR(64)    NOT NULL DEFAULT '',
    callee_in             VARCHAR(64)    NOT NULL DEFAULT '',
    caller_out            VARCHAR(64)    NOT NULL DEFAULT '',
    callee_out            VARCHAR(64)    NOT NULL DEFAULT '',
    started_at            ${ts_ms}       NOT NULL,
    answered_at           ${ts_ms},
    ended_at              ${ts_ms}       NOT NULL,
    duration_ms           BIGINT         NOT NULL DEFAULT 0,
    billsec               INT            NOT NULL DEFAULT 0,
    pdd_ms                INT,
    sip_code              SMALLINT       NOT NULL,
    sip_reason            VARCHAR(128)   NOT NULL DEFAULT '',
    q850_cause            SMALLINT,
    hangup_side           VARCHAR(16)    NOT NULL,
    currency              CHAR(3)        NOT NULL,
    sell_prefix           VARCHAR(32),
    sell_rate             DECIMAL(20,6),
    sell_connect_fee      DECIMAL(20,6),
    sell_initial          INT,
    sell_next             INT,
    buy_prefix            VARCHAR(32),
    buy_rate              DECIMAL(20,6),
    buy_connect_fee       DECIMAL(20,6),
    buy_initial           INT,
    buy_next              INT,
    sell_cost             DECIMAL(20,6)  NOT NULL DEFAULT 0,
    buy_cost              DECIMAL(20,6)  NOT NULL DEFAULT 0,
    margin                DECIMAL(20,6)  NOT NULL DEFAULT 0,
    CONSTRAINT uq_cdr_attempt UNIQUE (call_uuid, attempt),
    CONSTRAINT ck_cdr_hangup_side CHECK (hangup_side IN ('caller', 'callee', 'switch'))
) ${table_options};
-- The console's CDR queries: by period, by customer or vendor within a period, answered only.
CREATE INDEX ix_cdr_started ON cdr (started_at);
CREATE INDEX ix_cdr_customer_started ON cdr (customer_account_id, started_at);
CREATE INDEX ix_cdr_vendor_started ON cdr (vendor_account_id, started_at);
CREATE INDEX ix_cdr_answered_started ON cdr (answered_at, started_at);
CREATE INDEX ix_cdr_callee_out ON cdr (callee_out);
CREATE INDEX ix_cdr_sip_call_id ON cdr (sip_call_id);

-- ---------------------------------------------------------------------------------------------
-- Access: API keys (SHA-256 of a 256-bit random secret; the 8-character prefix finds the row),
-- console users (bcrypt) and their roles, and the audit log of every change.
CREATE TABLE api_key (
    id             ${pk_identity},
    name           VARCHAR(128)  NOT NULL,
    key_prefix     VARCHAR(16)   NOT NULL,
    key_hash       CHAR(64)      NOT NULL,
    role           VARCHAR(16)   NOT NULL DEFAULT 'admin',
    created_by     VARCHAR(128)  NOT NULL,
    created_at     ${ts_ms}      NOT NULL,
    last_used_at   ${ts_ms},
    revoked_at     ${ts_ms},
    CONSTRAINT uq_api_key_prefix UNIQUE (key_prefix),
    CONSTRAINT ck_api_key_role CHECK (role IN ('admin', 'operator', 'viewer', 'peer'))
) ${table_options};

CREATE TABLE console_user (
    id              ${pk_identity},
    username        VARCHAR(64)   NOT NULL,
    password_hash   VARCHAR(100)  NOT NULL,
    enabled         BOOLEAN       NOT NULL DEFAULT TRUE,
    created_at      ${ts_ms}      NOT NULL,
    last_login_at   ${ts_ms},
    CONSTRAINT uq_console_user_username UNIQUE (username)
) ${table_options};

CREATE TABLE console_user_role (
    user_id   BIGINT       NOT NULL,
    role      VARCHAR(16)  NOT NULL,
    CONSTRAINT pk_console_user_role PRIMARY KEY (user_id, role),
    CONSTRAINT fk_console_user_role_user FOREIGN KEY (user_id) REFERENCES console_user (id),
    CONSTRAINT ck_console_user_role CHECK (role IN ('admin', 'operator', 'viewer'))
) ${table_options};

CREATE TABLE audit_log (
    id           ${pk_identity},
    at           ${ts_ms}       NOT NULL,
    actor        VARCHAR(128)   NOT NULL,
    action       VARCHAR(64)    NOT NULL,
    entity       VARCHAR(64)    NOT NULL,
    entity_id    VARCHAR(64)    NOT NULL DEFAULT '',
    detail       TEXT,
    source_ip    VARCHAR(45)    NOT NULL DEFAULT ''
) ${table_options};
CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);

-- ---------------------------------------------------------------------------------------------
-- Cluster: node heartbeats, and the stamp every node polls to reload routing.
CREATE TABLE cluster_node (
    node_id        VARCHAR(64)   NOT NULL,
    api_url        VARCHAR(255)  NOT NULL DEFAULT '',
    sip_address    VARCHAR(255)  NOT NULL DEFAULT '',
    started_at     ${ts_ms}      NOT NULL,
    heartbeat_at   ${ts_ms}      NOT NULL,
    CONSTRAINT pk_cluster_node PRIMARY KEY (node_id)
) ${table_options};

CREATE TABLE config_version (
    id          INT           NOT NULL,
    version     BIGINT        NOT NULL,
    changed_at  ${ts_ms}      NOT NULL,
    CONSTRAINT pk_config_version PRIMARY KEY (id),
    CONSTRAINT ck_config_version_single CHECK (id = 1)
) ${table_options};
INSERT INTO config_version (id, version, changed_at) VALUES (1, 1, CURRENT_TIMESTAMP);

-- Declared after rate_deck exists.
ALTER TABLE ingress_trunk ADD CONSTRAINT fk_ingress_trunk_sell_deck FOREIGN KEY (sell_deck_id) REFERENCES rate_deck (id);
