-- RedefineTables
-- (ADD COLUMN would leave SQLite's stored table text different from what the models create; the drift test compares it.)
CREATE TABLE "new_challenges" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identity_type" TEXT NOT NULL,
    "identity_value" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "code_hash" TEXT,
    "nonce" TEXT,
    "message" TEXT,
    "user_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" DATETIME NOT NULL,
    "consumed_at" DATETIME,
    "requested_from" TEXT
);
INSERT INTO "new_challenges" ("id", "identity_type", "identity_value", "channel", "code_hash", "nonce", "message", "user_id", "status", "attempts", "created_at", "expires_at", "consumed_at")
SELECT "id", "identity_type", "identity_value", "channel", "code_hash", "nonce", "message", "user_id", "status", "attempts", "created_at", "expires_at", "consumed_at" FROM "challenges";
DROP TABLE "challenges";
ALTER TABLE "new_challenges" RENAME TO "challenges";
CREATE INDEX "challenges_identity_value_status_idx" ON "challenges"("identity_value", "status");
CREATE INDEX "challenges_expires_at_idx" ON "challenges"("expires_at");
