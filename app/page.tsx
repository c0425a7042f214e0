import Link from "next/link";
import { config } from "@/lib/config";

export default function Home() {
  const { APP_NAME } = config();
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-6 px-6 py-16">
      <h1 className="text-3xl font-semibold">{APP_NAME} Portal</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Passwordless sign-in with a one-time code, a wallet signature or a QR code scanned by a phone where you are
        already signed in.
      </p>
      <nav className="flex flex-wrap gap-3" aria-label="Portal">
        <Link className="rounded-md bg-blue-600 px-4 py-2 font-medium text-white hover:bg-blue-700" href="/login">
          Sign in
        </Link>
        <Link className="rounded-md border border-slate-300 px-4 py-2 font-medium dark:border-slate-700" href="/docs">
          API reference
        </Link>
      </nav>
    </main>
  );
}
