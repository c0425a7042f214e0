import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export declare const BODY_LIMITS: { prefix: string; bytes: number }[];
export declare const MAX_JSON_DEPTH: number;
export declare const MAX_BUFFERED_BODY_BYTES: number;
export declare function bodyLimit(path: string): number;
export declare function jsonDepth(bytes: Uint8Array, limit?: number): number;

export type Verdict = { ok: true } | { ok: false; gone?: true; status: number; code: string; description: string };
export declare class LimitedRequest extends IncomingMessage {
  body: Buffer | undefined;
  admit(rules: { limit: number; json: boolean; depthOnly: boolean }): Promise<Verdict>;
  admitWithoutBody(): void;
}
export declare function bodyRules(req: IncomingMessage, path: string): { limit: number; json: boolean; depthOnly: boolean };
export declare function hasBody(req: IncomingMessage): boolean;
export declare function plainAddress(address: string | undefined): string;
export declare class ConnectionCaps {
  constructor(options: { perClient: number; prefixBits: number; exempt: (peer: string) => boolean });
  admit(socket: Socket): boolean;
  readonly clients: number;
}
export declare function edgeError(res: ServerResponse, error: { status: number; code: string; description: string }, headers?: Record<string, string>): void;
export declare function refuseConnection(socket: Socket): void;
