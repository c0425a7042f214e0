import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CodeSignIn } from "@/components/login/code-sign-in";
import { LoginTabs } from "@/components/login/login-tabs";
import { QrSignIn } from "@/components/login/qr-sign-in";
import { getPortalSession } from "@/lib/auth/portal-session";
import { config } from "@/lib/config";
import { safeNext } from "@/lib/http/safe-next";

export const metadata: Metadata = { title: "Sign in" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  const loginHint = typeof params.login_hint === "string" ? params.login_hint.slice(0, 320) : undefined;
  const forceLogin = params.prompt === "login";
  if (!forceLogin && (await getPortalSession())) redirect(next);
  const clientName = typeof params.client_name === "string" ? params.client_name.slice(0, 80) : undefined;
  return (
    <main className="mx-auto w-full max-w-md px-4 py-10 sm:py-16">
      <h1 className="text-2xl font-semibold">Sign in to {config().APP_NAME}</h1>
      {clientName ? <p className="mt-1 text-slate-600 dark:text-slate-300">to continue to {clientName}</p> : null}
      <div className="mt-8 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900">
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
