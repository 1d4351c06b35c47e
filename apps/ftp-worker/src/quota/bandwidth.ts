/** Bytes per second the engine throttles a session to; undefined = unlimited (SessionPolicy.bandwidth). */
export interface SessionBandwidth {
  upload?: number;
  download?: number;
}

export interface BandwidthSetting {
  upload: number | null;
  download: number | null;
}

/** The tighter of two caps; null and 0 mean "no cap" (a 0 B/s session could never move a byte). */
function tighter(a: number | null | undefined, b: number | null | undefined): number | undefined {
  const caps = [a, b].filter((v): v is number => typeof v === 'number' && v > 0);
  return caps.length === 0 ? undefined : Math.min(...caps);
}

/**
 * A session's bandwidth: the user's effective value (their own, else their
 * groups', as resolveEffectiveSettings merged it) combined with the server's
 * cap as the minimum: the server setting is a ceiling no user exceeds.
 */
export function effectiveBandwidth(
  user: { uploadBandwidth: number | null; downloadBandwidth: number | null },
  server: BandwidthSetting = { upload: null, download: null },
): SessionBandwidth {
  const result: SessionBandwidth = {};
  const upload = tighter(user.uploadBandwidth, server.upload);
  const download = tighter(user.downloadBandwidth, server.download);
  if (upload !== undefined) result.upload = upload;
  if (download !== undefined) result.download = download;
  return result;
}
