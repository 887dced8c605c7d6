import { isPublicAddress, parseTarget, resolveTarget, TargetRefused } from './webhook-target';
import { nextAttemptAt } from './deliver-webhook.handler';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '::1', '::', 'fe80::1', 'fd12:3456::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1',
    '::127.0.0.1', '64:ff9b::7f00:1', '64:ff9b::a00:1', '2002:7f00:1::', '2002:c0a8:101::1', 'fe80::1%eth0', '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses other schemes, credentials and the numeric spellings of loopback', async () => {
    expect(() => parseTarget('ftp://example.com/x')).toThrow(TargetRefused);
    expect(() => parseTarget('file:///etc/passwd')).toThrow(TargetRefused);
    expect(() => parseTarget('https://user:pw@example.com/')).toThrow(TargetRefused);
    expect(() => parseTarget('not a url')).toThrow(TargetRefused);
    for (const spelled of ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/']) {
      await expect(resolveTarget(parseTarget(spelled), false)).rejects.toThrow(TargetRefused);
    }
  });

  it('refuses a name when any of its addresses is internal, and allows private targets only when told', async () => {
    const rebinding = (): Promise<{ address: string; family: number }[]> => Promise.resolve([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }]);
    await expect(resolveTarget(new URL('https://hooks.example.com/'), false, rebinding)).rejects.toThrow(/10\.0\.0\.7/);
    await expect(resolveTarget(new URL('https://hooks.example.com/'), true, rebinding)).resolves.toHaveLength(2);
    const publicOnly = (): Promise<{ address: string; family: number }[]> => Promise.resolve([{ address: '2606:4700:4700::1111', family: 6 }]);
    await expect(resolveTarget(new URL('https://hooks.example.com/'), false, publicOnly)).resolves.toEqual([{ address: '2606:4700:4700::1111', family: 6 }]);
  });
});

describe('webhook retries', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  const giveUp = new Date(now.getTime() + 24 * 3600_000);

  it('doubles the wait after each failure, jittered between half and all of it', () => {
    expect(nextAttemptAt(now, 1, 1000, giveUp, () => 0)!.getTime() - now.getTime()).toBe(500);
    expect(nextAttemptAt(now, 1, 1000, giveUp, () => 1)!.getTime() - now.getTime()).toBe(1000);
    expect(nextAttemptAt(now, 4, 1000, giveUp, () => 1)!.getTime() - now.getTime()).toBe(8000);
  });

  it('waits at most three hours, tries last at the end of the 24 h, and then gives up', () => {
    expect(nextAttemptAt(now, 20, 30_000, giveUp, () => 1)!.getTime() - now.getTime()).toBe(3 * 3600_000);
    const late = new Date(giveUp.getTime() - 60_000);
    expect(nextAttemptAt(late, 12, 30_000, giveUp, () => 1)).toEqual(giveUp);
    expect(nextAttemptAt(giveUp, 13, 30_000, giveUp)).toBeNull();
  });
});
