import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ui } from "@/components/ui/styles";
import { config } from "@/lib/config";
import { consentRequest } from "@/lib/oidc/consent-request";
import { interactionPath } from "@/lib/oidc/interaction";

export const metadata: Metadata = { title: "Allow access" };

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      <div className={ui.card}>
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className={`${ui.hint} mt-2`}>{children}</p>
      </div>
    </main>
  );
}

export default async function ConsentPage({ params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const request = await consentRequest({ uid, headers: await headers() });
  if (request.kind === "sign_in") redirect(interactionPath(uid));
  if (request.kind === "expired") {
    return <Notice title="This sign-in request has expired">It took too long, or it was opened in another browser. Go back to the app and start signing in again.</Notice>;
  }
  if (request.kind === "account_changed") {
    return <Notice title="You're now signed in as someone else">This sign-in started for a different account. Go back to the app and start signing in again.</Notice>;
  }
  const { APP_NAME } = config();
  return (
    <main className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      <h1 className="text-2xl font-semibold break-words">Allow {request.clientName} to use your {APP_NAME} account?</h1>
      <p className="mt-1 break-all text-slate-600 dark:text-slate-300">
        Signed in as <span className="font-medium text-slate-900 dark:text-slate-100">{request.signedInAs}</span>
      </p>
      <div className={`${ui.card} mt-8`}>
        <h2 id="allow-list" className="font-medium">
          {request.clientName} will be able to see:
        </h2>
        <ul aria-labelledby="allow-list" className="mt-3 space-y-2">
          {request.items.map((item) => (
            <li key={item.scope} className="flex gap-3" data-testid="consent-item">
              <span aria-hidden="true" className="mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-blue-100 text-xs font-bold text-blue-800 dark:bg-blue-900/60 dark:text-blue-200">
                ✓
              </span>
              <span>
                {item.label}
                {item.available ? null : <span className={`${ui.hint} block`}>You haven&apos;t added one, so there is nothing to share yet.</span>}
              </span>
            </li>
          ))}
        </ul>
        <p className={`${ui.hint} mt-5`}>
          {request.returnHost ? (
            <>
              Either way you&apos;ll go back to <span className="font-medium break-all text-slate-900 dark:text-slate-100">{request.returnHost}</span>.{" "}
            </>
          ) : null}
          You can remove this app&apos;s access at any time from your account page.
        </p>
        <form method="post" action={`${interactionPath(uid)}/decision`} className="mt-6 grid grid-cols-2 gap-3">
          <button type="submit" name="decision" value="deny" className={ui.secondary}>
            Don&apos;t allow
          </button>
          <button type="submit" name="decision" value="approve" className={ui.primary}>
            Allow
          </button>
        </form>
      </div>
      <p className={`${ui.hint} mt-4 text-xs`}>
        App ID <code className="break-all">{request.clientId}</code>
      </p>
    </main>
  );
}
