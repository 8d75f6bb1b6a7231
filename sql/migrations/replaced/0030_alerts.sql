-- Traders' alerts: the conditions the alert rules see now, every alert raised (sent, failed or suppressed), and
-- each delivery to each receiver (palimpsest_pipeline/alerts/). Receivers are named by a label (their scheme
-- and place in PALIMPSEST_ALERT_URLS), never by their URL: URLs carry secrets.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0026_suspect_markets

CREATE TABLE IF NOT EXISTS analytics.alert_conditions (
    rule          text NOT NULL CHECK (rule <> ''),
    subject       text NOT NULL CHECK (subject <> ''),
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    title         text NOT NULL,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (rule, subject),
    CHECK (last_seen_at >= first_seen_at)
);

CREATE TABLE IF NOT EXISTS analytics.alerts (
    alert_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule            text NOT NULL CHECK (rule <> ''),
    subject         text NOT NULL CHECK (subject <> ''),
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'suppressed')),
    title           text NOT NULL,
    body            text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}'::jsonb,
    condition_since timestamptz NOT NULL,
    raised_at       timestamptz NOT NULL,
    cleared_at      timestamptz,
    sent_at         timestamptz,
    suppressed_by   bigint REFERENCES analytics.alerts (alert_id),
    CHECK ((status = 'suppressed') = (suppressed_by IS NOT NULL)),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS alerts_rule_subject_idx ON analytics.alerts (rule, subject, raised_at DESC);

CREATE TABLE IF NOT EXISTS analytics.alert_deliveries (
    alert_id        bigint NOT NULL REFERENCES analytics.alerts (alert_id) ON DELETE CASCADE,
    receiver        text NOT NULL CHECK (receiver <> ''),
    status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    sent_at         timestamptz,
    last_error      text,
    PRIMARY KEY (alert_id, receiver),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK (status = 'sent' OR next_attempt_at IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS alert_deliveries_due_idx
    ON analytics.alert_deliveries (next_attempt_at) WHERE status <> 'sent';

COMMENT ON TABLE analytics.alert_conditions IS
    'What each alert rule sees true right now, one row per (rule, subject), kept while the condition holds and '
    'deleted when it clears. first_seen_at is how long it has held: a rule with a hold (price out of line for '
    'more than Y minutes) alerts only once it has held that long.';
COMMENT ON COLUMN analytics.alert_conditions.rule IS
    'The rule: live_gap, list_soon, price_out_of_line or feed_stale.';
COMMENT ON COLUMN analytics.alert_conditions.subject IS
    'What the condition is about: a SportRadar match id (live_gap, list_soon, price_out_of_line: one alert per '
    'match, its outcomes out of line in details) or a book (feed_stale).';
COMMENT ON COLUMN analytics.alert_conditions.first_seen_at IS 'When the rules first saw it true, this time.';
COMMENT ON COLUMN analytics.alert_conditions.last_seen_at IS 'The last evaluation that saw it true.';
COMMENT ON COLUMN analytics.alert_conditions.title IS 'One line saying what is wrong, as an alert would.';
COMMENT ON COLUMN analytics.alert_conditions.details IS 'The figures behind it (prices, books, hours), JSON.';

COMMENT ON TABLE analytics.alerts IS
    'Every alert the rules raised: one per (rule, subject) until the condition clears or the cooldown '
    '(PALIMPSEST_ALERT_COOLDOWN_MINUTES) passes. status: pending (not yet delivered everywhere), sent (every '
    'receiver has it), failed (a receiver refused it; retried with backoff until it takes it), suppressed '
    '(raised again within the cooldown of an earlier alert: recorded, not sent).';
COMMENT ON COLUMN analytics.alerts.alert_id IS 'Alert number.';
COMMENT ON COLUMN analytics.alerts.rule IS 'The rule that raised it (see analytics.alert_conditions.rule).';
COMMENT ON COLUMN analytics.alerts.subject IS 'What it is about (see analytics.alert_conditions.subject).';
COMMENT ON COLUMN analytics.alerts.status IS 'pending, sent, failed or suppressed (see the table comment).';
COMMENT ON COLUMN analytics.alerts.title IS 'The notification''s title.';
COMMENT ON COLUMN analytics.alerts.body IS 'The notification''s text.';
COMMENT ON COLUMN analytics.alerts.details IS 'The figures behind it when raised, JSON.';
COMMENT ON COLUMN analytics.alerts.condition_since IS 'When the condition began to hold.';
COMMENT ON COLUMN analytics.alerts.raised_at IS 'When the rules raised the alert.';
COMMENT ON COLUMN analytics.alerts.cleared_at IS 'When the condition was first seen gone after it (NULL: still holds).';
COMMENT ON COLUMN analytics.alerts.sent_at IS 'When the last receiver took it (status sent).';
COMMENT ON COLUMN analytics.alerts.suppressed_by IS 'For a suppressed alert: the earlier alert whose cooldown held it back.';

COMMENT ON TABLE analytics.alert_deliveries IS
    'Each alert''s delivery to each receiver of PALIMPSEST_ALERT_URLS: attempts, the last error, and when the '
    'next attempt is due (exponential backoff). A receiver that is down delays its alerts, never loses them.';
COMMENT ON COLUMN analytics.alert_deliveries.alert_id IS 'The alert (analytics.alerts).';
COMMENT ON COLUMN analytics.alert_deliveries.receiver IS
    'The receiver''s label: its scheme and place in PALIMPSEST_ALERT_URLS (json#1, slack#2); never its URL.';
COMMENT ON COLUMN analytics.alert_deliveries.status IS 'pending (not tried yet), sent or failed (will be retried).';
COMMENT ON COLUMN analytics.alert_deliveries.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN analytics.alert_deliveries.last_attempt_at IS 'When the last attempt was made.';
COMMENT ON COLUMN analytics.alert_deliveries.next_attempt_at IS 'When the next attempt is due (NULL once sent).';
COMMENT ON COLUMN analytics.alert_deliveries.sent_at IS 'When the receiver took it.';
COMMENT ON COLUMN analytics.alert_deliveries.last_error IS 'Why the last attempt failed, as the notifier said it.';
