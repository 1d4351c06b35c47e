import { CONTROL_PLANE_ENTITIES } from './control-plane.entities';
import { FTP_ENTITIES } from './ftp.entities';
import { SESSION_ENTITIES } from './ftp-session.entity';

export * from './control-plane.entities';
export * from './ftp.entities';
export * from './ftp-session.entity';

export const ENTITIES = [...FTP_ENTITIES, ...CONTROL_PLANE_ENTITIES, ...SESSION_ENTITIES];
