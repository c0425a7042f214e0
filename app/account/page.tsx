import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActivityList } from "@/components/account/activity-list";
import { ConnectedApps } from "@/components/account/connected-apps";
import { IdentityList } from "@/components/account/identity-list";
import { SessionList } from "@/components/account/session-list";
import { SignOutButtons } from "@/components/account/sign-out-buttons";
import { ui } from "@/components/ui/styles";
import { listActivity } from "@/lib/account/list-activity";
import { listIdentities } from "@/lib/account/list-identities";
import { listSessions } from "@/lib/account/list-sessions";
import { getPortalSession } from "@/lib/auth/portal-session";
import { config } from "@/lib/config";
import {
  confirmAddIdentityAction,
  removeIdentityAction,
  revokeSessionAction,
  signOutAction,
  signOutEverywhereAction,
  startAddIdentityAction,
} from "./actions";

export const metadata: Metadata = { title: "Your account" };

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className={ui.card}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className={`${ui.hint} mt-1`}>{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export default async function AccountPage() {
  const session = await getPortalSession();
  if (!session) redirect("/login?next=/account");
  const [identities, sessions, activity] = await Promise.all([
    listIdentities({ userId: session.userId }),
    listSessions({ userId: session.userId, currentSessionId: session.sessionId }),
    listActivity({ userId: session.userId, limit: 20 }),
  ]);
  const primary = identities[0]?.value;

  return (
    <main className="mx-auto w-full max-w-3xl px-4 py-8 sm:py-12">
      <nav aria-label="Portal" className="mb-6 text-sm">
        <Link href="/" className="font-medium text-slate-700 hover:underline dark:text-slate-300">
          {config().APP_NAME}
        </Link>
      </nav>
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 flex-1">
          <h1 className="text-2xl font-semibold">Your account</h1>
          {primary ? (
            <p className="mt-1 text-slate-600 dark:text-slate-300">
              Signed in as <span className="font-medium wrap-break-word text-slate-900 dark:text-slate-100">{primary}</span>
            </p>
          ) : null}
        </div>
        <SignOutButtons actions={{ signOut: signOutAction, signOutEverywhere: signOutEverywhereAction }} />
      </header>

      <div className="mt-8 space-y-6">
        <Section id="identities" title="Ways to sign in" description="Each of these receives codes or signs for this one account.">
          <IdentityList
            identities={identities.map((i) => ({ id: i.id, type: i.type, value: i.value, verifiedAt: i.verifiedAt.toISOString() }))}
            actions={{ startAddIdentity: startAddIdentityAction, confirmAddIdentity: confirmAddIdentityAction, removeIdentity: removeIdentityAction }}
          />
        </Section>

        <Section id="sessions" title="Devices and sessions" description="Everywhere your account is signed in right now. Sign out any you do not recognise.">
          <SessionList
            sessions={sessions.map((s) => ({
              id: s.id,
              device: s.device.label,
              kind: s.device.kind,
              ip: s.ip,
              createdVia: s.createdVia,
              clientName: s.clientName,
              createdAt: s.createdAt.toISOString(),
              lastSeenAt: s.lastSeenAt.toISOString(),
              current: s.current,
            }))}
            actions={{ revokeSession: revokeSessionAction, signOut: signOutAction }}
          />
        </Section>

        <Section id="apps" title="Connected apps" description="Sites where you sign in with this account.">
          <ConnectedApps userId={session.userId} />
        </Section>

        <Section id="activity" title="Recent activity" description="The last 20 events on your account.">
          <ActivityList items={activity} />
        </Section>
      </div>
    </main>
  );
}
