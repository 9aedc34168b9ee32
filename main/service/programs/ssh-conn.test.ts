import { describe, expect, it } from 'vitest';
import { newHostKeyPair, sshUtils } from './ssh-conn';

// A pair as ssh2 1.17's generateKeyPairSync wrote it when the public key began with a zero byte:
// the key is 31 bytes long in both halves, and parseKey refuses it.
const SHORT_PAIR = {
  private: [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz',
    'c2gtZWQyNTUxOQAAAB/uNHQatZVy1fQDMl5DKohbHSzNoqUY0iLt+f4Gxv7+AAAA',
    'iJth2pabYdqWAAAAC3NzaC1lZDI1NTE5AAAAH+40dBq1lXLV9AMyXkMqiFsdLM2i',
    'pRjSIu35/gbG/v4AAAA/76vPEXT19+uXjfcyBZL3ta/QYRCFTQj7YKTxOh02/cfu',
    'NHQatZVy1fQDMl5DKohbHSzNoqUY0iLt+f4Gxv7+AAAAAAECAwQFBgc=',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n'),
  public: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH+40dBq1lXLV9AMyXkMqiFsdLM2ipRjSIu35/gbG/v4=',
};

describe('sshd host keys', () => {
  it('a pair ssh2 cannot read back is drawn again (mscdex/ssh2 #1513)', () => {
    expect(sshUtils.parseKey(SHORT_PAIR.private)).toBeInstanceOf(Error);
    const good = sshUtils.generateKeyPairSync('ed25519');
    const draws = [SHORT_PAIR, good];
    expect(newHostKeyPair(() => draws.shift()!)).toBe(good);
    expect(newHostKeyPair(() => SHORT_PAIR, 3)).toBeNull();
  });

  it('every new host key parses (1,000 keys: about 4 short ones would have been kept before)', () => {
    for (let i = 0; i < 1000; i++) {
      const pair = newHostKeyPair();
      expect(pair).not.toBeNull();
      expect(sshUtils.parseKey(pair!.private)).not.toBeInstanceOf(Error);
    }
  });
});
