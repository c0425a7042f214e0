import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CodeSignIn } from "@/components/login/code-sign-in";
import { LoginTabs } from "@/components/login/login-tabs";
import { QrSignIn } from "@/components/login/qr-sign-in";
import { getPortalSession } from "@/lib/auth/portal-session";
import { config } from "@/lib/config";
import { safeRedirect } from "@/lib/http/safe-redirect";
import { describeLoginRequest } from "@/lib/oidc/describe-login-request";

export const metadata: Metadata = { title: "Sign in" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const next = safeRedirect(params.next);
  const session = await getPortalSession();
  // Reached from an app (OpenID Connect): its registered name and login_hint come from the pending request, never from the URL.
  const appRequest = typeof params.interaction === "string" ? await describeLoginRequest({ uid: params.interaction, sessionId: session?.sessionId }) : null;
  const loginHint = appRequest ? appRequest.loginHint : typeof params.login_hint === "string" ? params.login_hint.slice(0, 320) : undefined;
  const forceLogin = params.prompt === "login" || !!appRequest?.mustSignIn;
  if (!forceLogin && session) redirect(next);
  return (
    <main className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      {appRequest ? (
        <>
          <h1 className="text-2xl font-semibold break-words">Sign in to continue to {appRequest.clientName}</h1>
          <p className="mt-1 text-slate-600 dark:text-slate-300">with your {config().APP_NAME} account</p>
        </>
      ) : (
        <h1 className="text-2xl font-semibold">Sign in to {config().APP_NAME}</h1>
      )}
      {/* data-next: where both sign-in tabs send the browser once signed in (the redirect tests read it). */}
      <div data-next={next} className="mt-8 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900">
        <LoginTabs
          initial={params.tab === "qr" ? 1 : 0}
          tabs={[
            { id: "code", label: "Code", panel: <CodeSignIn next={next} loginHint={loginHint} /> },
            { id: "qr", label: "QR code", panel: <QrSignIn next={next} /> },
          ]}
        />
      </div>
    </main>
  );
}
