-- The alerts on one site country's data (list_soon, price_out_of_line) name their subject <site country>:<id>,
-- so a condition in one country never holds back, clears or cools down the same match's in another. Every
-- such subject stored so far is Nigeria's (the only country read before): it gains the prefix here, so an open
-- condition keeps its episode and its cool-down instead of alerting again under its new name.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0030_alerts 0037_long_comparison

UPDATE analytics.alert_conditions SET subject = 'ng:' || subject
WHERE rule IN ('list_soon', 'price_out_of_line') AND subject !~ '^[a-z]{2}:';

UPDATE analytics.alerts SET subject = 'ng:' || subject
WHERE rule IN ('list_soon', 'price_out_of_line') AND subject !~ '^[a-z]{2}:';

COMMENT ON COLUMN analytics.alert_conditions.subject IS
    'What the condition is about: <site country>:<SportRadar match id> for list_soon and price_out_of_line '
    '(one alert per match and site country, its outcomes out of line in details; a match without an SR id '
    'is named by its match key), a SportRadar match id for live_gap, a book for feed_stale and keys_drift.';
