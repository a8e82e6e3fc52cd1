-- Placeholder numbers for tickets being created: the gap-free number is taken from Counter
-- 'ticket' in the creating transaction's last statement, so the counter row stays locked for one
-- statement and the commit instead of the whole transaction.
CREATE SEQUENCE "ticket_pending_number_seq" AS integer MINVALUE 1 MAXVALUE 2147483647 CYCLE;

ALTER TABLE "Ticket" ALTER COLUMN "number" SET DEFAULT (- nextval('ticket_pending_number_seq'::regclass));
