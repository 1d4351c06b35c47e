import { LineCodec, MAX_LINE_BYTES } from './line-codec';

function codec(): { lines: string[]; overflow: () => boolean; c: LineCodec } {
  const lines: string[] = [];
  let overflowed = false;
  const c = new LineCodec(
    (l) => lines.push(l),
    () => (overflowed = true),
  );
  return { lines, overflow: () => overflowed, c };
}

describe('LineCodec', () => {
  it('joins a line split across segments, even inside a multi-byte UTF-8 character', () => {
    const { lines, c } = codec();
    const bytes = Buffer.from('STOR é.txt\r\n');
    const cut = bytes.indexOf(0xc3) + 1;
    c.push(bytes.subarray(0, cut));
    c.push(bytes.subarray(cut));
    expect(lines).toEqual(['STOR é.txt']);
  });

  it('splits several lines in one segment and accepts bare LF', () => {
    const { lines, c } = codec();
    c.push(Buffer.from('USER a\r\nPASS b\nNOOP\r\n'));
    expect(lines).toEqual(['USER a', 'PASS b', 'NOOP']);
  });

  it('strips Telnet IP/DM and option negotiation, keeps IAC IAC as 0xFF', () => {
    const { lines, c } = codec();
    c.push(Buffer.from([0xff, 0xf4, 0xff, 0xf2, ...Buffer.from('ABOR\r\n')]));
    c.push(Buffer.from([0xff, 0xfb, 0x01, ...Buffer.from('NOOP\r\n')]));
    c.push(Buffer.from([0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0, ...Buffer.from('SYST\r\n')]));
    c.push(Buffer.from([...Buffer.from('X'), 0xff, 0xff, 0x0d, 0x0a]));
    expect(lines.slice(0, 3)).toEqual(['ABOR', 'NOOP', 'SYST']);
    expect(lines[3]).toBe('X\ufffd'); // a lone 0xFF byte is not UTF-8
    expect(lines).toHaveLength(4);
  });

  it('keeps an IAC split across segments', () => {
    const { lines, c } = codec();
    c.push(Buffer.from([0xff]));
    c.push(Buffer.from([0xf4, ...Buffer.from('ABOR\r\n')]));
    expect(lines).toEqual(['ABOR']);
  });

  it('reports overflow once a line exceeds the limit and ignores the rest', () => {
    const { lines, overflow, c } = codec();
    c.push(Buffer.alloc(MAX_LINE_BYTES, 0x41));
    expect(overflow()).toBe(false);
    c.push(Buffer.from('A\r\nNOOP\r\n'));
    expect(overflow()).toBe(true);
    expect(lines).toEqual([]);
  });

  it('accepts a line of exactly the limit', () => {
    const { lines, overflow, c } = codec();
    c.push(Buffer.concat([Buffer.alloc(MAX_LINE_BYTES, 0x41), Buffer.from('\n')]));
    expect(overflow()).toBe(false);
    expect(lines[0]).toHaveLength(MAX_LINE_BYTES);
  });

  it('reset() from inside a line callback drops the rest of the segment (AUTH TLS)', () => {
    const lines: string[] = [];
    const c: LineCodec = new LineCodec(
      (l) => {
        lines.push(l);
        if (l === 'AUTH TLS') c.reset();
      },
      () => undefined,
    );
    c.push(Buffer.from('AUTH TLS\r\nFEAT\r\nPART'));
    c.push(Buffer.from('IAL\r\n'));
    expect(lines).toEqual(['AUTH TLS', 'IAL']);
  });
});

describe('LineCodec: ftplib ABOR sent with MSG_OOB', () => {
  it('ends ABOR at CR because the LF travelled as urgent data and is lost', () => {
    const { lines, c } = codec();
    c.push(Buffer.from('ABOR\r'));
    expect(lines).toEqual(['ABOR']);
    c.push(Buffer.from('NOOP\r\n'));
    expect(lines).toEqual(['ABOR', 'NOOP']);
  });

  it('does not emit ABOR twice when the LF does arrive', () => {
    const { lines, c } = codec();
    c.push(Buffer.from('abor\r\nNOOP\r\n'));
    expect(lines).toEqual(['ABOR', 'NOOP']);
  });

  it('leaves other lines with a CR alone', () => {
    const { lines, c } = codec();
    c.push(Buffer.from('STOR ABOR\r\n'));
    expect(lines).toEqual(['STOR ABOR']);
  });
});

describe('LineCodec: pause() and resume() (flood control)', () => {
  /** A codec whose consumer pauses it after every `every` lines, as the session does when its queue is full. */
  function pausing(every: number): { lines: string[]; c: LineCodec } {
    const lines: string[] = [];
    const c: LineCodec = new LineCodec(
      (l) => {
        lines.push(l);
        if (lines.length % every === 0) c.pause();
      },
      () => undefined,
    );
    return { lines, c };
  }

  it('emits no line past the pause, even with thousands more in the same segment', () => {
    const { lines, c } = pausing(32);
    c.push(Buffer.from('NOOP\r\n'.repeat(10_000)));
    expect(lines).toHaveLength(32);
  });

  it('emits the rest of the segment and segments pushed while paused, in order, on resume', () => {
    const { lines, c } = pausing(2);
    c.push(Buffer.from('A\r\nB\r\nC\r\nD'));
    c.push(Buffer.from('\r\nE\r\n'));
    expect(lines).toEqual(['A', 'B']);
    c.resume();
    expect(lines).toEqual(['A', 'B', 'C', 'D']);
    c.resume();
    expect(lines).toEqual(['A', 'B', 'C', 'D', 'E']);
    c.push(Buffer.from('F\r\n'));
    expect(lines).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('keeps an ABOR<CR> whose LF comes after the pause one command', () => {
    const { lines, c } = pausing(1);
    c.push(Buffer.from('ABOR\r'));
    c.push(Buffer.from('\nNOOP\r\n'));
    expect(lines).toEqual(['ABOR']);
    c.resume();
    expect(lines).toEqual(['ABOR', 'NOOP']);
  });

  it('reset() drops what was kept while paused (AUTH TLS)', () => {
    const { lines, c } = pausing(1);
    c.push(Buffer.from('AUTH TLS\r\nPLAINTEXT\r\n'));
    c.reset();
    c.resume();
    expect(lines).toEqual(['AUTH TLS']);
  });
});
