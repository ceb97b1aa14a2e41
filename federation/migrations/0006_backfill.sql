-- Where the backfill of each followed directory stopped: the next page of
-- its entries to read, so that a backfill cut short (a crash, a restart)
-- goes on from there rather than from the first page. NULL when none is
-- under way.
ALTER TABLE follows ADD COLUMN backfill_next TEXT;
