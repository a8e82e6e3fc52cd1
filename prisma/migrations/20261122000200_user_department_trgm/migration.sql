-- User search matches name, email or department with ILIKE '%…%': every branch of the OR needs a
-- trigram index, or PostgreSQL scans the whole table (hand-written: Prisma cannot express it).
CREATE INDEX "User_department_trgm_idx" ON "User" USING gin ("department" gin_trgm_ops);
