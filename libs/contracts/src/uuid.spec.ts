import { uuidv7 } from './uuid';

describe('uuidv7', () => {
  it('has version 7, the RFC 9562 variant and the timestamp in front', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation time', () => {
    const a = uuidv7(1000);
    const b = uuidv7(2000);
    expect([b, a].sort()).toEqual([a, b]);
  });
});
