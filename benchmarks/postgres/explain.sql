-- The plans in docs/stores.md ("Query plans"): the claim, the take-back of expired leases, the lease renewal and the
-- next due time, with a million finished runs and a million sleeping runs in the table.
-- Run against a schema FanOut created (e.g. the sample's: FANOUT_POSTGRES=… dotnet run --project samples/Signup):
--   psql "$CONNECTION" -v schema=fanout_signup -f benchmarks/postgres/explain.sql
SET search_path = :schema;
INSERT INTO events (id, name, data, ts, accepted_at)
SELECT 'E' || lpad(g::text, 9, '0'), 'app/user.signup', '\x7b7d', 0, 1700000000000 + g FROM generate_series(1, 1000000) g;
-- a million finished runs
INSERT INTO runs (id, event_id, function_id, status, due_at, attempt, claimed_at, finished_at, accepted_at)
SELECT 'R' || lpad(g::text, 9, '0'), 'E' || lpad(g::text, 9, '0'), 'send-welcome-email', 2, 1700000000000 + g, 1, 1700000000000 + g, 1700000000000 + g, 1700000000000 + g
FROM generate_series(1, 1000000) g;
-- a million sleeping runs (queued, due in the far future)
INSERT INTO runs (id, event_id, function_id, status, due_at, accepted_at)
SELECT 'S' || lpad(g::text, 9, '0'), 'E000000001', 'send-welcome-email', 0, 4000000000000 + g, 1700000000000 FROM generate_series(1, 1000000) g;
-- 1,000 queued runs that are due, and 200 running under live leases
INSERT INTO runs (id, event_id, function_id, status, due_at, accepted_at)
SELECT 'Q' || lpad(g::text, 9, '0'), 'E000000001', 'send-welcome-email', 0, 1700000000000, 1700000000000 FROM generate_series(1, 1000) g;
INSERT INTO runs (id, event_id, function_id, status, due_at, attempt, lease_epoch, lease_owner, lease_expires_at, accepted_at)
SELECT 'L' || lpad(g::text, 9, '0'), 'E000000001', 'send-welcome-email', 1, 1700000000000, 1, 1, 'node-1', 4000000000000, 1700000000000 FROM generate_series(1, 200) g;
ANALYZE;

-- EXPLAIN ANALYZE executes the statements: each runs in a transaction rolled back afterwards.
\echo '=== claim'
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
WITH picked AS (
    SELECT id FROM runs
    WHERE status = 0 AND due_at <= now_ms() AND (ARRAY['send-welcome-email','add-to-crm']::text[] IS NULL OR function_id = ANY(ARRAY['send-welcome-email','add-to-crm']))
    ORDER BY due_at, seq LIMIT 64 FOR UPDATE SKIP LOCKED)
UPDATE runs r SET status = 1, attempt = r.attempt + 1, claimed_at = now_ms(), lease_epoch = r.lease_epoch + 1, lease_owner = 'n', lease_expires_at = now_ms() + 30000
FROM picked WHERE r.id = picked.id
RETURNING r.id;
ROLLBACK;
\echo '=== take back expired leases'
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
WITH expired AS (
    SELECT id FROM runs WHERE status = 1 AND lease_expires_at < now_ms() ORDER BY lease_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)
UPDATE runs r SET status = 0, due_at = now_ms(), lease_owner = NULL, lease_expires_at = NULL
FROM expired WHERE r.id = expired.id RETURNING r.id, r.cancel_reason;
ROLLBACK;
\echo '=== lease renewal (64 held runs)'
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
UPDATE runs r SET lease_expires_at = now_ms() + 30000
FROM unnest((SELECT array_agg(id) FROM (SELECT id FROM runs WHERE status = 1 LIMIT 64) x), array_fill(1::bigint, ARRAY[64])) AS held(id, epoch)
WHERE r.id = held.id AND r.lease_epoch = held.epoch AND r.status = 1
RETURNING r.id, r.cancel_reason;
ROLLBACK;
\echo '=== next due time'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT min(due_at) - now_ms() FROM runs
WHERE status = 0 AND (ARRAY['send-welcome-email','add-to-crm']::text[] IS NULL OR function_id = ANY(ARRAY['send-welcome-email','add-to-crm']));
