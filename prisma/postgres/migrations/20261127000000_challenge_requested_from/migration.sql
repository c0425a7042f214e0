-- AlterTable
ALTER TABLE "challenges" ADD COLUMN "requested_from" TEXT;
