import { FtpError } from './errors';
import { baseName, parentPath, quotePath, resolveVirtualPath } from './paths';

describe('virtual paths', () => {
  it.each([
    ['/', 'a', '/a'],
    ['/a', 'b/c', '/a/b/c'],
    ['/a/b', '..', '/a'],
    ['/a', '../../../..', '/'],
    ['/a', '/x//y/./z/', '/x/y/z'],
    ['/a', '.', '/a'],
    ['/', '..%2f', '/..%2f'],
    ['/', '-x', '/-x'],
    ['/a', '/../etc/passwd', '/etc/passwd'],
  ])('resolves %s + %s -> %s', (cwd, input, expected) => {
    expect(resolveVirtualPath(cwd, input)).toBe(expected);
  });

  it('refuses NUL', () => {
    expect(() => resolveVirtualPath('/', 'a\0b')).toThrow(FtpError);
  });

  it('doubles quotes for 257 replies', () => {
    expect(quotePath('/say "hi"')).toBe('"/say ""hi"""');
  });

  it('parent and base name', () => {
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('/');
    expect(baseName('/a/b.txt')).toBe('b.txt');
  });
});
