import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { LocalTime } from "@/components/ui/local-time";
import { ui } from "@/components/ui/styles";
import { getPortalSession } from "@/lib/auth/portal-session";
import { listAppAccess, revokeAppAccess } from "@/lib/oidc/app-access";

// A plain form post to a server action: works without JavaScript, and Next.js
// refuses the action unless Origin matches Host (the CSRF check). The user is
// taken from the session, never from the form.
async function removeAccess(formData: FormData) {
  "use server";
  const session = await getPortalSession();
  const clientId = formData.get("client_id");
  if (!session || typeof clientId !== "string" || clientId.length > 200) return;
  const h = await headers();
  await revokeAppAccess({
    userId: session.userId,
    clientId,
    sessionId: session.sessionId,
    ip: h.get("x-werify-client-ip") ?? undefined,
    userAgent: h.get("user-agent") ?? undefined,
  });
  revalidatePath("/account");
}

/**
 * Sites that use this account through OpenID Connect: what each may see,
 * where it is signed in, and "Remove access", which forgets the consent,
 * revokes its tokens and signs its sessions out.
 */
export async function ConnectedApps({ userId }: { userId: string }) {
  const apps = await listAppAccess({ userId });
  if (!apps.length) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No apps use your account to sign you in yet.</p>;
  }
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800">
      {apps.map((app) => (
        <li key={app.clientId} className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between" data-testid="connected-app">
          <div className="min-w-0 space-y-1">
            <p className="font-medium break-words">{app.name}</p>
            {app.allowed.length ? (
              <p className="text-sm text-slate-700 dark:text-slate-300">Can see {app.allowed.map((a) => a.short).join(", ")}</p>
            ) : null}
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {app.allowedSince ? (
                <>
                  Allowed <LocalTime iso={app.allowedSince.toISOString()} />
                </>
              ) : null}
              {app.allowedSince ? " · " : null}
              {app.activeSessions ? `Signed in on ${app.activeSessions} device${app.activeSessions === 1 ? "" : "s"}` : "Not signed in anywhere"}
              {app.lastUsedAt ? (
                <>
                  {" "}
                  · Last used <LocalTime iso={app.lastUsedAt.toISOString()} relativeWithinDay />
                </>
              ) : null}
            </p>
          </div>
          <form action={removeAccess} className="shrink-0">
            <input type="hidden" name="client_id" value={app.clientId} />
            <button type="submit" className={ui.danger} aria-label={`Remove ${app.name}'s access`}>
              Remove access
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}
