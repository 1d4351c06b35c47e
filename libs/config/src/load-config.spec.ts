import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/wharf');
    expect(config.dataDir).toBe('/srv/wharf/.wharf');
    expect(config.storageRoot).toBe('/srv/wharf/.wharf/storage');
    expect(config.api.port).toBe(3000);
    expect(config.ftp.port).toBe(2121);
    expect(config.ftp.passivePorts).toEqual({ min: 30000, max: 30099 });
    expect(config.seed.adminUsername).toBe('admin');
    expect(config.queue).toEqual({ backend: 'postgres', prefix: 'wharf' });
  });

  it('selects the Redis queue backend when REDIS_URL is set', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, '/');
    expect(config.queue).toEqual({
      backend: 'redis',
      url: 'redis://127.0.0.1:6379',
      prefix: 'wharf',
    });
  });

  it('names every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          DATABASE_URL: 'mysql://x',
          WHARF_API_PORT: 'abc',
          WHARF_FTP_PASSIVE_PORTS: '40000-30000',
          NODE_ENV: 'production',
        },
        '/',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual([
      'DATABASE_URL',
      'WHARF_API_PORT',
      'WHARF_FTP_PASSIVE_PORTS',
      'WHARF_JWT_SECRET',
    ]);
    expect((error as ConfigError).message).toContain(
      'WHARF_JWT_SECRET: is required when NODE_ENV=production',
    );
  });

  it('allows no cross-origin access unless WHARF_CORS_ORIGINS lists origins', () => {
    expect(loadConfig({}, '/').api.corsOrigins).toEqual([]);
    expect(
      loadConfig({ WHARF_CORS_ORIGINS: 'https://admin.example.com, http://localhost:5173,' }, '/')
        .api.corsOrigins,
    ).toEqual(['https://admin.example.com', 'http://localhost:5173']);
    for (const bad of ['*', 'admin.example.com', 'https://admin.example.com/', 'ftp://x.test']) {
      expect(() => loadConfig({ WHARF_CORS_ORIGINS: bad }, '/')).toThrow(
        /WHARF_CORS_ORIGINS: must be comma-separated origins/,
      );
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '', WHARF_API_PORT: '' }, '/').api.port).toBe(3000);
  });
});
