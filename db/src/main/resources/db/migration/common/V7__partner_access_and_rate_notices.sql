-- Partner access (#20): console users and API keys of the new role 'partner' are bound to one account
-- (account_id); every other role leaves it NULL. A partner sees only that account's data.
ALTER TABLE api_key ADD COLUMN account_id BIGINT;
ALTER TABLE api_key DROP CONSTRAINT ck_api_key_role;
ALTER TABLE api_key ADD CONSTRAINT ck_api_key_role CHECK (role IN ('admin', 'operator', 'viewer', 'peer', 'partner'));
ALTER TABLE console_user ADD COLUMN account_id BIGINT;
ALTER TABLE console_user_role DROP CONSTRAINT ck_console_user_role;
ALTER TABLE console_user_role ADD CONSTRAINT ck_console_user_role
    CHECK (role IN ('admin', 'operator', 'finance', 'viewer', 'partner'));

-- What the carrier agreed with a partner account: whether the vendor's own deck submissions are
-- committed at once when the notice rules hold ('auto') or wait for an operator ('review'), and where
-- rate-change notices go (comma-separated addresses; '' = kept in the console only).
CREATE TABLE partner_terms (
    account_id          BIGINT         NOT NULL,
    submission_policy   VARCHAR(8)     NOT NULL DEFAULT 'review',
    notice_email        VARCHAR(1000)  NOT NULL DEFAULT '',
    updated_at          ${ts_ms}       NOT NULL,
    CONSTRAINT pk_partner_terms PRIMARY KEY (account_id),
    CONSTRAINT fk_partner_terms_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT ck_partner_terms_policy CHECK (submission_policy IN ('auto', 'review'))
) ${table_options};

-- A vendor's own buy deck upload on its way in: uploaded (previewed, not yet submitted), pending
-- (waiting for an operator), applied, rejected (by an operator, with the reason the vendor sees) or
-- withdrawn. early_increases counts the increases sooner than the deck's notice period at upload;
-- approving them needs an override, which is recorded here and in the audit log.
CREATE TABLE deck_submission (
    id                ${pk_identity},
    account_id        BIGINT         NOT NULL,
    deck_id           BIGINT         NOT NULL,
    import_id         BIGINT         NOT NULL,
    status            VARCHAR(16)    NOT NULL,
    early_increases   INT            NOT NULL DEFAULT 0,
    submitted_by      VARCHAR(128)   NOT NULL,
    submitted_at      ${ts_ms}       NOT NULL,
    decided_by        VARCHAR(128),
    decided_at        ${ts_ms},
    reason            VARCHAR(500)   NOT NULL DEFAULT '',
    overridden        BOOLEAN        NOT NULL DEFAULT FALSE,
    CONSTRAINT uq_deck_submission_import UNIQUE (import_id),
    CONSTRAINT fk_deck_submission_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT fk_deck_submission_deck FOREIGN KEY (deck_id) REFERENCES rate_deck (id),
    CONSTRAINT ck_deck_submission_status CHECK (status IN ('uploaded', 'pending', 'applied', 'rejected', 'withdrawn'))
) ${table_options};
CREATE INDEX ix_deck_submission_account ON deck_submission (account_id, submitted_at);
CREATE INDEX ix_deck_submission_status ON deck_submission (status, submitted_at);

-- Rate-change notices: one per customer account and committed change of a sell deck it is priced by,
-- with one line per changed code. mailed_at / mail_error say what became of the e-mail.
CREATE TABLE rate_notice (
    id                ${pk_identity},
    account_id        BIGINT         NOT NULL,
    deck_id           BIGINT         NOT NULL,
    import_id         BIGINT,
    created_at        ${ts_ms}       NOT NULL,
    first_effective   ${ts_ms}       NOT NULL,
    increased_count   INT            NOT NULL DEFAULT 0,
    decreased_count   INT            NOT NULL DEFAULT 0,
    new_count         INT            NOT NULL DEFAULT 0,
    closed_count      INT            NOT NULL DEFAULT 0,
    recipients        VARCHAR(1000)  NOT NULL DEFAULT '',
    mailed_at         ${ts_ms},
    mail_error        VARCHAR(500),
    CONSTRAINT fk_rate_notice_account FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT fk_rate_notice_deck FOREIGN KEY (deck_id) REFERENCES rate_deck (id)
) ${table_options};
CREATE INDEX ix_rate_notice_account ON rate_notice (account_id, created_at);

CREATE TABLE rate_notice_line (
    notice_id         BIGINT         NOT NULL,
    line_no           INT            NOT NULL,
    change_kind       VARCHAR(16)    NOT NULL,
    prefix            VARCHAR(32)    NOT NULL,
    destination       VARCHAR(128)   NOT NULL DEFAULT '',
    old_rate          DECIMAL(20,6),
    new_rate          DECIMAL(20,6),
    connect_fee       DECIMAL(20,6),
    initial_increment INT,
    next_increment    INT,
    effective_from    ${ts_ms}       NOT NULL,
    CONSTRAINT pk_rate_notice_line PRIMARY KEY (notice_id, line_no),
    CONSTRAINT fk_rate_notice_line_notice FOREIGN KEY (notice_id) REFERENCES rate_notice (id),
    CONSTRAINT ck_rate_notice_line_kind CHECK (change_kind IN ('increase', 'decrease', 'new', 'closed'))
) ${table_options};
