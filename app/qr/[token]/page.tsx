import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { QrApproval } from "@/components/qr/qr-approval";
import { describeError } from "@/components/qr/qr-errors";
import { getPortalSession } from "@/lib/auth/portal-session";
import { ApiError } from "@/lib/http/errors";
import { scanQrLogin, type RequesterContext } from "@/lib/qr/scan-qr-login";
import { currentUser } from "@/lib/users/current-user";

export const metadata: Metadata = { title: "Approve sign-in", referrer: "no-referrer" };

/**
 * What a phone opens from the QR code. Opening it marks the request scanned
 * and binds it to this account (SPEC §3.4), then asks for a decision.
 */
export default async function QrPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = await getPortalSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(`/qr/${token}`)}`);

  const request = await headers();
  let requester: RequesterContext | null = null;
  let problem: string | null = null;
  try {
    requester = await scanQrLogin({
      qrToken: token,
      userId: session.userId,
      sessionId: session.sessionId,
      ip: request.get("x-werify-client-ip") ?? "unknown",
      userAgent: request.get("user-agent") ?? undefined,
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    problem = error.code;
  }
  const user = await currentUser(session.userId);
  const account = user.identities[0]?.value ?? "your account";

  return (
    <main className="mx-auto w-full max-w-md px-4 py-8 sm:py-16">
      {requester ? (
        <QrApproval qrToken={token} requester={requester} account={account} />
      ) : (
        <section className="space-y-3 py-6 text-center">
          <span className="mx-auto flex size-16 items-center justify-center rounded-full bg-amber-600 text-3xl font-bold text-white" aria-hidden="true">
            !
          </span>
          <h1 className="text-2xl font-semibold">{describeError(problem ?? undefined).title}</h1>
          <p className="text-slate-600 dark:text-slate-300">{describeError(problem ?? undefined).detail}</p>
        </section>
      )}
    </main>
  );
}
