import http from "node:http";
import { cpuPercent, memory } from "./proc";
import type { PendingQr } from "./qr-short-poll";

export type LongPollResult = {
  screens: number;
  rampSeconds: number;
  /** polls open (sent, not yet answered) at the start and the end of the CPU window */
  heldAtStart: number;
  heldAtEnd: number;
  cpuPercent: number;
  cpuWindowSeconds: number;
  /** polls answered during the CPU window: the screens' steady re-polls (wait elapsed, still pending) */
  answeredInWindow: number;
  /** server RSS before the first screen arrived and at the end of the CPU window */
  rssBeforeMb: number;
  rssMb: number;
  /** ms from sending an approval to its screen's answer */
  approvalMs: number[];
  /** ms the approval requests themselves took */
  approveRequestMs: number[];
  /** approval responses other than 200, by status */
  approvalsRefused: Record<string, number>;
  approvalsUnanswered: number;
  /** poll answers other than pending/scanned/approved, by status */
  otherAnswers: Record<string, number>;
  socketErrors: Record<string, number>;
};

/** An approval (request and answer) not done within this counts as never answered. */
export const APPROVAL_TIMEOUT_MS = 20_000;

type Screen = { login: PendingQr; open: boolean; approveSentAt?: number; answeredMs?: number };

/**
 * SPEC §11 "waiting QR screens": one keep-alive socket per screen, each
 * holding `POST /v1/oauth/qr {wait}` and polling again as soon as an answer
 * says it is still pending, as the login page does. Screens arrive evenly over
 * one `wait` period, so afterwards the portal is in its steady state: every
 * screen held, about screens/wait re-polls a second. Its CPU is read over
 * `cpuWindowMs` of that; then `sample` screens are approved through the API,
 * `approveEveryMs` apart, and the time from sending each approval to its
 * screen's answer is recorded.
 */
export async function longPolls(input: {
  baseUrl: string;
  pid: number;
  logins: PendingQr[];
  accessToken: string;
  wait: number;
  sample: number;
  cpuWindowMs: number;
  approveEveryMs: number;
  /** called as the CPU window and the approvals begin and end (the bench toggles its profiler there) */
  mark?: (what: "waiting" | "approving", on: boolean) => Promise<void>;
}): Promise<LongPollResult> {
  const target = new URL(input.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Infinity });
  const screens: Screen[] = input.logins.map((login) => ({ login, open: false }));
  const otherAnswers: Record<string, number> = {};
  const socketErrors: Record<string, number> = {};
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  let answered = 0;
  let stopping = false;

  const poll = (screen: Screen): void => {
    const body = JSON.stringify({ qr_token: screen.login.qr_token, poll_token: screen.login.poll_token, wait: input.wait });
    screen.open = true;
    const request = http.request(
      { host: target.hostname, port: target.port, path: "/v1/oauth/qr", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          screen.open = false;
          answered++;
          let status = `http ${response.statusCode}`;
          try {
            const parsed = JSON.parse(text) as { status?: string; error?: string };
            status = parsed.status ?? parsed.error ?? status;
          } catch {
            // not JSON: keep the HTTP status
          }
          if (status === "approved" && screen.approveSentAt !== undefined) {
            screen.answeredMs = performance.now() - screen.approveSentAt;
          } else if (status === "pending" || status === "scanned") {
            if (!stopping) poll(screen);
          } else {
            count(otherAnswers, status);
          }
        });
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      screen.open = false;
      if (!stopping) count(socketErrors, error.code ?? error.message);
    });
    request.end(body);
  };

  const rssBeforeMb = memory(input.pid).rssMb;
  // Screens arrive evenly over one wait period, 20 times a second.
  const rampMs = input.wait * 1000;
  const started = performance.now();
  for (let opened = 0; opened < screens.length; ) {
    const due = Math.min(screens.length, Math.ceil(((performance.now() - started) / rampMs) * screens.length));
    while (opened < due) poll(screens[opened++]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rampSeconds = (performance.now() - started) / 1000;

  const heldAtStart = screens.filter((s) => s.open).length;
  const answeredBefore = answered;
  await input.mark?.("waiting", true);
  const cpu = await cpuPercent(input.pid, input.cpuWindowMs);
  await input.mark?.("waiting", false);
  const answeredInWindow = answered - answeredBefore;
  const heldAtEnd = screens.filter((s) => s.open).length;
  const { rssMb } = memory(input.pid);

  const step = Math.max(1, Math.floor(screens.length / input.sample));
  const sampled = screens.filter((_, i) => i % step === 0).slice(0, input.sample);
  const approvalsRefused: Record<string, number> = {};
  const approveRequestMs: number[] = [];
  const approvals: Promise<void>[] = [];
  await input.mark?.("approving", true);
  for (const screen of sampled) {
    const sentAt = performance.now();
    screen.approveSentAt = sentAt;
    approvals.push(
      fetch(`${input.baseUrl}/v1/oauth/qr/authorize`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${input.accessToken}` },
        body: JSON.stringify({ qr_token: screen.login.qr_token, decision: "approve" }),
        signal: AbortSignal.timeout(APPROVAL_TIMEOUT_MS),
      }).then(
        async (response) => {
          const body = (await response.json().catch(() => ({}))) as { error?: string };
          approveRequestMs.push(performance.now() - sentAt);
          if (!response.ok) count(approvalsRefused, `${response.status} ${body.error ?? ""}`.trim());
        },
        (error: Error) => void count(approvalsRefused, error.message),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, input.approveEveryMs));
  }
  await Promise.all(approvals);
  const deadline = performance.now() + APPROVAL_TIMEOUT_MS;
  while (sampled.some((s) => s.answeredMs === undefined && s.open) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await input.mark?.("approving", false);

  stopping = true;
  agent.destroy();
  const approvalMs = sampled.flatMap((s) => (s.answeredMs === undefined ? [] : [s.answeredMs]));
  return {
    screens: screens.length,
    rampSeconds,
    heldAtStart,
    heldAtEnd,
    cpuPercent: cpu,
    cpuWindowSeconds: input.cpuWindowMs / 1000,
    answeredInWindow,
    rssBeforeMb,
    rssMb,
    approvalMs,
    approveRequestMs,
    approvalsRefused,
    approvalsUnanswered: sampled.length - approvalMs.length,
    otherAnswers,
    socketErrors,
  };
}
