/** Admin roles, most to least privileged. */
export enum AdminRole {
  Superadmin = 'superadmin',
  Admin = 'admin',
  Auditor = 'auditor',
}

export const ADMIN_ROLES: readonly AdminRole[] = [
  AdminRole.Superadmin,
  AdminRole.Admin,
  AdminRole.Auditor,
];
