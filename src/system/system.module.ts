import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PingDoc, PingSchema } from './ping.schema';
import { SystemRepository } from './system.repository';
import { SystemResolver } from './system.resolver';
import { SystemService } from './system.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: PingDoc.name, schema: PingSchema }])],
  providers: [SystemRepository, SystemService, SystemResolver],
  exports: [SystemService],
})
export class SystemModule {}
