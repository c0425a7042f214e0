export declare const UNKNOWN_BUCKET: "unknown";
export declare function ipBucket(address: string | undefined | null, ipv6PrefixBits?: number): string;
