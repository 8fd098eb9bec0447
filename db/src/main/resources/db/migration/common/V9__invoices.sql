-- Invoices, credit notes and their numbering (issue #20).
--
-- invoice_profile: how an account is invoiced (series, cycle, tax). No row = the defaults
-- (series INV, monthly, no tax).
CREATE TABLE invoice_profile (
    account_id      BIGINT         NOT NULL,
    series          VARCHAR(16)    NOT NULL DEFAULT 'INV',
    cycle_months    INT            NOT NULL DEFAULT 1,
    tax_label       VARCHAR(64)    NOT NULL DEFAULT '',
    tax_rate        DECIMAL(9,6)   NOT NULL DEFAULT 0,
    updated_by      VARCHAR(128)   NOT NULL,
    updated_at      ${ts_ms}       NOT NULL,
    CONSTRAINT pk_invoice_profile PRIMARY KEY (account_id),
    CONSTRAINT fk_invoice_profile_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_invoice_profile_cycle CHECK (cycle_months IN (1, 2, 3, 4, 6, 12)),
    CONSTRAINT ck_invoice_profile_tax CHECK (tax_rate >= 0 AND tax_rate < 10)
) ${table_options};

-- One counter row per series. Issuing locks the row (SELECT ... FOR UPDATE), takes next_number and
-- increments it in the transaction that inserts the document: a rolled-back issue gives its number
-- back, so numbers have no gaps even with several nodes issuing at once.
CREATE TABLE invoice_series (
    series          VARCHAR(16)    NOT NULL,
    next_number     BIGINT         NOT NULL DEFAULT 1,
    CONSTRAINT pk_invoice_series PRIMARY KEY (series),
    CONSTRAINT ck_invoice_series_next CHECK (next_number >= 1)
) ${table_options};
INSERT INTO invoice_series (series, next_number) VALUES ('INV', 1);
INSERT INTO invoice_series (series, next_number) VALUES ('CN', 1);

-- Issued documents. Never updated. issue_key (<account>:<period start>, NULL for credit notes) backs the
-- issuing transaction's "one invoice per account and period" with the database's own guarantee.
-- A correction is a credit note (kind credit_note, corrects_id set),
-- which posts its amount to the ledger as an adjustment in the same transaction.
-- Amounts: usage/top-ups/adjustments as the ledger has them (charges negative), tax on the charges.
CREATE TABLE invoice (
    id                  ${pk_identity},
    series              VARCHAR(16)    NOT NULL,
    doc_number          BIGINT         NOT NULL,
    kind                VARCHAR(16)    NOT NULL,
    account_id          BIGINT         NOT NULL,
    account_name        VARCHAR(128)   NOT NULL,
    currency            CHAR(3)        NOT NULL,
    period_start        ${ts_ms}       NOT NULL,
    period_end          ${ts_ms}       NOT NULL,
    opening_balance     DECIMAL(20,6)  NOT NULL,
    closing_balance     DECIMAL(20,6)  NOT NULL,
    usage_amount        DECIMAL(20,6)  NOT NULL,
    topup_amount        DECIMAL(20,6)  NOT NULL,
    adjustment_amount   DECIMAL(20,6)  NOT NULL,
    tax_label           VARCHAR(64)    NOT NULL,
    tax_rate            DECIMAL(9,6)   NOT NULL,
    tax_amount          DECIMAL(20,6)  NOT NULL,
    total_due           DECIMAL(20,6)  NOT NULL,
    corrects_id         BIGINT,
    reason              VARCHAR(255)   NOT NULL DEFAULT '',
    issued_by           VARCHAR(128)   NOT NULL,
    issued_at           ${ts_ms}       NOT NULL,
    issue_key           VARCHAR(64),
    CONSTRAINT uq_invoice_number UNIQUE (series, doc_number),
    CONSTRAINT uq_invoice_issue UNIQUE (issue_key),
    CONSTRAINT fk_invoice_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT fk_invoice_corrects FOREIGN KEY (corrects_id) REFERENCES invoice (id),
    CONSTRAINT ck_invoice_kind CHECK (kind IN ('invoice', 'credit_note'))
) ${table_options};
CREATE INDEX ix_invoice_account_period ON invoice (account_id, period_start);

-- The lines of a document, in order: usage per destination, then top-ups, adjustments, re-rating.
CREATE TABLE invoice_line (
    invoice_id      BIGINT         NOT NULL,
    line_no         INT            NOT NULL,
    kind            VARCHAR(16)    NOT NULL,
    prefix          VARCHAR(32)    NOT NULL DEFAULT '',
    description     VARCHAR(255)   NOT NULL DEFAULT '',
    calls           BIGINT         NOT NULL DEFAULT 0,
    billed_seconds  BIGINT         NOT NULL DEFAULT 0,
    amount          DECIMAL(20,6)  NOT NULL,
    CONSTRAINT pk_invoice_line PRIMARY KEY (invoice_id, line_no),
    CONSTRAINT fk_invoice_line_invoice FOREIGN KEY (invoice_id) REFERENCES invoice (id),
    CONSTRAINT ck_invoice_line_kind CHECK (kind IN ('usage', 'topup', 'adjustment', 'rerate', 'opening', 'credit'))
) ${table_options};
