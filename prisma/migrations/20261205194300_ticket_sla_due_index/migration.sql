-- Hand-written: the "SLA due" list sort (src/lib/server/tickets/list-sla.ts). The expressions must
-- stay identical to the sort keys there, or the keyset walk stops using the index.
CREATE INDEX "Ticket_slaDue_idx" ON "Ticket" (
  (CASE WHEN "slaPolicyId" IS NULL OR "resolutionDueAt" IS NULL OR status IN ('RESOLVED', 'CLOSED') THEN 2 WHEN status IN ('PENDING', 'ON_HOLD') THEN 1 ELSE 0 END),
  (CASE WHEN "slaPolicyId" IS NULL OR "resolutionDueAt" IS NULL OR status IN ('RESOLVED', 'CLOSED') THEN '1970-01-01 00:00:00'::timestamp WHEN "firstResponseAt" IS NULL AND "firstResponseDueAt" < "resolutionDueAt" THEN "firstResponseDueAt" ELSE "resolutionDueAt" END),
  id
);
