-- The weekly digest (issue 54 part 5): alert rules that can be switched off (PALIMPSEST_ALERT_RULES_OFF: such a
-- rule still evaluates and records its alerts with status off, delivered to nobody, so the digest can say how
-- many it would have raised), and each digest's delivery to each receiver, one row per site country, ISO week
-- and receiver (analytics.digest_deliveries), so a second run of the same week sends nothing twice.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0053_closing_prices

-- analytics.alerts: status off ----------------------------------------------------------------------------------
ALTER TABLE analytics.alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE analytics.alerts ADD CONSTRAINT alerts_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'suppressed', 'off'));
COMMENT ON TABLE analytics.alerts IS
    'Every alert the rules raised: one per (rule, subject) until the condition clears or the cooldown '
    '(PALIMPSEST_ALERT_COOLDOWN_MINUTES) passes. status: pending (not yet delivered everywhere), sent (every '
    'receiver has it), failed (a receiver refused it; retried with backoff until it takes it), suppressed '
    '(raised again within the cooldown of an earlier alert: recorded, not sent), off (its rule is switched off '
    'by PALIMPSEST_ALERT_RULES_OFF: recorded, sent to nobody; the weekly digest counts them).';
COMMENT ON COLUMN analytics.alerts.status IS 'pending, sent, failed, suppressed or off (see the table comment).';

-- analytics.digest_deliveries -----------------------------------------------------------------------------------
CREATE TABLE analytics.digest_deliveries (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    iso_week text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
    receiver text NOT NULL CHECK (receiver <> ''),
    status text NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts integer NOT NULL CHECK (attempts > 0),
    last_attempt_at timestamptz NOT NULL,
    sent_at timestamptz,
    last_error text,
    title text NOT NULL,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((status = 'failed') = (last_error IS NOT NULL)),
    PRIMARY KEY (site_country, iso_week, receiver)
);
COMMENT ON TABLE analytics.digest_deliveries IS
    'Each weekly digest''s delivery to each receiver of PALIMPSEST_ALERT_URLS, one row per site country, ISO '
    'week and receiver: a receiver that has it (sent) is never sent it again; a failed one is tried again by '
    'the next digest run of that week.';
COMMENT ON COLUMN analytics.digest_deliveries.site_country IS
    'ISO 3166 code (lower case) of the country whose digest it is.';
COMMENT ON COLUMN analytics.digest_deliveries.iso_week IS 'The ISO week the digest covers (2026-W48).';
COMMENT ON COLUMN analytics.digest_deliveries.receiver IS
    'The receiver''s label: its scheme and place in PALIMPSEST_ALERT_URLS (json#1, slack#2); never its URL.';
COMMENT ON COLUMN analytics.digest_deliveries.status IS 'sent (the receiver took it) or failed (tried again).';
COMMENT ON COLUMN analytics.digest_deliveries.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN analytics.digest_deliveries.last_attempt_at IS 'When the last attempt was made (UTC).';
COMMENT ON COLUMN analytics.digest_deliveries.sent_at IS 'When the receiver took it (UTC).';
COMMENT ON COLUMN analytics.digest_deliveries.last_error IS 'Why the last attempt failed, as the notifier said.';
COMMENT ON COLUMN analytics.digest_deliveries.title IS 'The notification''s title.';
