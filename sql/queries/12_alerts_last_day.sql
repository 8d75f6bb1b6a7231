-- Alerts raised in the day from :'date', per rule and outcome: what the desk was told, what is still failing.
-- Columns: rule, status, alerts, subjects, still_holding (not cleared yet), oldest_pending (first undelivered).
SELECT rule, status, count(*) AS alerts, count(DISTINCT subject) AS subjects,
       count(*) FILTER (WHERE cleared_at IS NULL) AS still_holding,
       min(raised_at) FILTER (WHERE status IN ('pending', 'failed')) AS oldest_pending
FROM analytics.alerts
WHERE raised_at >= :'date'::date AND raised_at < :'date'::date + 1
GROUP BY rule, status
ORDER BY rule, status;
