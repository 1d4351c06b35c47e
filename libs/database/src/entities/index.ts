import { CONTROL_PLANE_ENTITIES } from './control-plane.entities';
import { FTP_ENTITIES } from './ftp.entities';

export * from './control-plane.entities';
export * from './ftp.entities';

export const ENTITIES = [...FTP_ENTITIES, ...CONTROL_PLANE_ENTITIES];
