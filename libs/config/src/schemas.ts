import { z } from 'zod';

/** A TCP port, 1–65535 (0 is accepted where `allowZero` says "pick a free one"). */
export function portSchema(options: { allowZero?: boolean } = {}) {
  return z.coerce
    .number({ message: 'expected a port number' })
    .int('expected a whole port number')
    .min(options.allowZero ? 0 : 1, 'port out of range')
    .max(65535, 'port out of range');
}

/** A comma-separated list of `host:port`, e.g. `127.0.0.1:9092,127.0.0.1:9093`. */
export const brokerListSchema = z
  .string({ message: 'expected a comma-separated list of host:port' })
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each entry must be host:port'))
      .min(1, 'expected at least one host:port'),
  );

/** A Redis URL: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
export const redisUrlSchema = z
  .string({ message: 'expected a redis:// or rediss:// URL' })
  .url('expected a redis:// or rediss:// URL')
  .refine((value) => /^rediss?:\/\//.test(value), 'expected a redis:// or rediss:// URL');

/** A positive whole number, for counts and sizes. */
export function positiveIntegerSchema(name = 'number') {
  return z.coerce
    .number({ message: `expected a ${name}` })
    .int(`expected a whole ${name}`)
    .positive(`expected a positive ${name}`);
}

/** `true/false/1/0/yes/no`, case-insensitive. */
export const booleanSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Comma-separated feature indices, e.g. `0,2`; an empty string means none (null). */
export const featureIndexListSchema = z.string().transform((value, context) => {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return null;
  if (!parts.every((part) => /^\d{1,4}$/.test(part))) {
    context.addIssue({
      code: 'custom',
      message: 'expected comma-separated feature indices like 0,2',
    });
    return z.NEVER;
  }
  return parts.map(Number);
});
