import { describe, expect, it } from 'vitest';
import { KafkaMockControl } from './kafka-mock.control.js';
import { KafkaMockCommandError } from './kafka-mock.errors.js';

function channel() {
  const written: string[] = [];
  const control = new KafkaMockControl((line) => written.push(line));
  return { control, written };
}

describe('KafkaMockControl', () => {
  it('answers commands in the order they were sent', async () => {
    const { control, written } = channel();
    const first = control.send('broker-down 1');
    const second = control.send('broker-down 9');
    expect(written).toEqual(['broker-down 1', 'broker-down 9']);
    control.receive('OK');
    control.receive('ERR Broker: Broker not available');
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow(
      'Kafka mock command "broker-down 9" failed: Broker: Broker not available',
    );
    await expect(second).rejects.toBeInstanceOf(KafkaMockCommandError);
  });

  it('fails waiting and later commands once closed', async () => {
    const { control, written } = channel();
    const waiting = control.send('rtt 1 100');
    control.close('the launcher exited with code 1');
    await expect(waiting).rejects.toThrow(/exited with code 1/);
    await expect(control.send('broker-up 1')).rejects.toThrow(/exited with code 1/);
    expect(written).toEqual(['rtt 1 100']);
  });

  it('refuses a command that would span lines', async () => {
    const { control, written } = channel();
    await expect(control.send('leader a\nbroker-down 1')).rejects.toThrow(/single lines/);
    expect(written).toEqual([]);
  });
});
