-- deliveries and attempts behave as a queue: every delivery row is updated two or three times within seconds of
-- being inserted (lease, result), and a resumed backlog makes hundreds of thousands of rows due at once. With the
-- default thresholds (20 % of the table changed) autovacuum and autoanalyze come too late on a large table: dead
-- index entries slow every claim and stale statistics mislead the planner. Vacuum and analyze these two tables
-- after 2 % of their rows changed, and leave room in each page so that a lease update can stay on its page (HOT).
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02,
                            fillfactor = 85);
ALTER TABLE attempts SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);
