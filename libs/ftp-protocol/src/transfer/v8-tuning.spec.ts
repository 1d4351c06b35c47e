import { spawnSync } from 'node:child_process';
import * as v8 from 'node:v8';

import { ARRAY_BUFFER_SWEEP_FLAG, tuneV8ForTransfers } from './v8-tuning';

// Only the one call is replaced: setting the flag in Jest's own process is not what is tested.
jest.mock('node:v8', () => ({
  ...jest.requireActual<typeof import('node:v8')>('node:v8'),
  setFlagsFromString: jest.fn(),
}));

describe('tuneV8ForTransfers', () => {
  it('names a flag this V8 knows: set at run time, V8 reports an unknown one on stderr', () => {
    const run = spawnSync(
      process.execPath,
      ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(ARRAY_BUFFER_SWEEP_FLAG)})`],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The same check, shown to bite: a misspelt flag is reported.
    const misspelt = spawnSync(
      process.execPath,
      ['-e', `require('node:v8').setFlagsFromString('${ARRAY_BUFFER_SWEEP_FLAG}x')`],
      { encoding: 'utf8' },
    );
    expect(misspelt.stderr).toContain('unrecognized flag');
  });

  it('is accepted on the command line too', () => {
    const run = spawnSync(process.execPath, [ARRAY_BUFFER_SWEEP_FLAG, '-e', '0'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
  });

  it('sets the flag, and not when the process was started with it', () => {
    const set = jest.mocked(v8.setFlagsFromString);
    tuneV8ForTransfers();
    expect(set).toHaveBeenCalledWith(ARRAY_BUFFER_SWEEP_FLAG);

    set.mockClear();
    const execArgv = process.execArgv;
    process.execArgv = [...execArgv, ARRAY_BUFFER_SWEEP_FLAG];
    try {
      tuneV8ForTransfers();
    } finally {
      process.execArgv = execArgv;
    }
    expect(set).not.toHaveBeenCalled();
  });
});
