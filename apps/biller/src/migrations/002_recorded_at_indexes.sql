-- The daily reconciliation report (src/report) reads one India day of movements by recorded_at; without these
-- it scanned payments, reversals and refunds whole for every report.
CREATE INDEX payments_recorded_at ON payments (recorded_at);
CREATE INDEX reversals_recorded_at ON reversals (recorded_at);
CREATE INDEX refunds_recorded_at ON refunds (recorded_at);
