// admins, api_keys, admin_audit_log, usage, transfer_logs (owned by the control-plane work)
export const CONTROL_PLANE_ENTITIES: Function[] = [];
