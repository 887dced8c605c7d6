import IORedis from 'ioredis';

/** `--name value`, `--name=value` and bare `--flag` (= 'true'), as the end-to-end and telemetry benches take them. */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    const next = argv[i + 1];
    flags.set(m[1]!, m[2] ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : 'true'));
  }
  return flags;
}

/** Deletes a bench's queue keys (each pattern, e.g. `<prefix>:*`) from the machine's Redis. */
export async function dropRedisKeys(url: string, patterns: readonly string[]): Promise<void> {
  const redis = new IORedis(url);
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
