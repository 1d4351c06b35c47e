/** The release version; a spec keeps it equal to package.json's. */
export const WHARF_VERSION = '0.1.0';
