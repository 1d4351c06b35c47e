import { sessionMasterKey } from './session-binding';

/** DER TLV with a short or long length. */
function tlv(tag: number, body: Buffer): Buffer {
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function session(masterKey: Buffer): Buffer {
  return tlv(
    0x30,
    Buffer.concat([
      tlv(0x02, Buffer.from([1])),
      tlv(0x02, Buffer.from([0x03, 0x04])),
      tlv(0x04, Buffer.from([0x13, 0x01])),
      tlv(0x04, Buffer.alloc(32, 7)),
      tlv(0x04, masterKey),
      tlv(0x04, Buffer.alloc(200, 1)),
    ]),
  );
}

describe('sessionMasterKey', () => {
  it('reads the masterKey field of a DER SSL_SESSION', () => {
    const key = Buffer.alloc(48, 0xab);
    expect(sessionMasterKey(session(key))?.equals(key)).toBe(true);
  });

  it('returns null for truncated or foreign data', () => {
    const der = session(Buffer.alloc(48, 0xab));
    expect(sessionMasterKey(der.subarray(0, 20))).toBeNull();
    expect(sessionMasterKey(Buffer.from('not a session'))).toBeNull();
    expect(sessionMasterKey(Buffer.alloc(0))).toBeNull();
  });
});
