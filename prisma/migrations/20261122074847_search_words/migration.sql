-- CreateTable
CREATE TABLE "SearchWord" (
    "word" TEXT NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word")
);

-- ─── Hand-written ───────────────────────────────────────────────────────────────────────────
CREATE INDEX "SearchWord_word_trgm_idx" ON "SearchWord" USING gin (word gin_trgm_ops);

CREATE FUNCTION itsm_remember_words(v tsvector) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "SearchWord" (word)
  SELECT w FROM unnest(tsvector_to_array(v)) AS w
   WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9._-]+$'
  ON CONFLICT DO NOTHING
$$;

CREATE OR REPLACE FUNCTION itsm_ticket_search_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.search := itsm_ticket_head_tsv(NEW.subject, NEW.description);
  ELSIF NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description THEN
    NEW.search := itsm_ticket_tsv(NEW.id, NEW.subject, NEW.description);
  ELSE
    RETURN NEW;
  END IF;
  PERFORM itsm_remember_words(itsm_ticket_head_tsv(NEW.subject, NEW.description));
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION itsm_entry_search_trg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v tsvector;
BEGIN
  IF TG_OP = 'INSERT' THEN
    v := itsm_entry_tsv(NEW.body);
    UPDATE "Ticket" SET search = coalesce(search, ''::tsvector) || v
     WHERE id = NEW."ticketId" AND coalesce(pg_column_size(search), 0) < 512000;
    PERFORM itsm_remember_words(v);
  ELSIF NEW."ticketId" IS DISTINCT FROM OLD."ticketId" THEN
    UPDATE "Ticket" SET search = itsm_ticket_tsv(id, subject, description)
     WHERE id IN (NEW."ticketId", OLD."ticketId");
  END IF;
  RETURN NULL;
END $$;
