import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaClientOptions, type KafkaConnectionSettings } from './client.settings.js';
import { StreamOptionError } from './stream.errors.js';

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const base: KafkaConnectionSettings = {
  brokers: ['127.0.0.1:9092'],
  kafkaSsl: false,
  kafkaSaslMechanism: 'scram-sha-512',
  kafkaSaslUsername: 'app',
};

describe('kafkaClientOptions SASL credentials', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnnflow-sasl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fileHolding = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const sasl = (settings: Partial<KafkaConnectionSettings>) =>
    kafkaClientOptions({ ...base, ...settings }, 'test', quiet).sasl;

  it('reads the password from a file, without the newline a secret mount ends it with', () => {
    const file = fileHolding('password', 'p@ss word\n');
    expect(sasl({ kafkaSaslPasswordFile: file })).toEqual({
      mechanism: 'scram-sha-512',
      username: 'app',
      password: 'p@ss word',
    });
    expect(sasl({ kafkaSaslPassword: 'direct' })?.password).toBe('direct');
  });

  it('refuses a missing or empty file, and a password given both ways, naming the setting', () => {
    const missing = () => sasl({ kafkaSaslPasswordFile: path.join(dir, 'absent') });
    expect(missing).toThrow(StreamOptionError);
    expect(missing).toThrow(/KAFKA_SASL_PASSWORD_FILE: cannot read .*absent \(ENOENT\)/);
    expect(() => sasl({ kafkaSaslPasswordFile: fileHolding('empty', '\n') })).toThrow(
      /KAFKA_SASL_PASSWORD_FILE: .*empty is empty/,
    );
    const both = () =>
      sasl({ kafkaSaslPassword: 'x', kafkaSaslPasswordFile: fileHolding('both', 'y') });
    expect(both).toThrow(/both KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are set/);
    expect(() => sasl({})).toThrow(/set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE/);
  });

  it('ignores the password settings without a mechanism', () => {
    expect(sasl({ kafkaSaslMechanism: undefined, kafkaSaslPasswordFile: '/absent' })).toBe(
      undefined,
    );
  });
});
