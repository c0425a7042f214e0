export declare function supervise(options: { workers: number; log: (level: "debug" | "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void }): void;
