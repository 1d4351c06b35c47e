import { Module } from '@nestjs/common';

import { PartitionMaintenanceService } from './partition-maintenance.service';

@Module({ providers: [PartitionMaintenanceService], exports: [PartitionMaintenanceService] })
export class MaintenanceModule {}
