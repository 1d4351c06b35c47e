/** What a permission rule can allow on a path prefix of an FTP user's home. */
export enum FtpPermission {
  List = 'list',
  Download = 'download',
  Upload = 'upload',
  Overwrite = 'overwrite',
  Append = 'append',
  Delete = 'delete',
  Rename = 'rename',
  Mkdir = 'mkdir',
  Rmdir = 'rmdir',
  Mfmt = 'mfmt',
}

export const ALL_FTP_PERMISSIONS: readonly FtpPermission[] = Object.values(FtpPermission);

export interface PermissionRule {
  /** Virtual path prefix, absolute ("/", "/incoming"). */
  path: string;
  allow: FtpPermission[];
}
