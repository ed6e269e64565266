import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { ReferenceModule } from '../reference/reference.module';
import { BootstrapAdminService } from './bootstrap-admin.service';
import {
  BootstrapClaimDoc,
  BootstrapClaimSchema,
  UserDoc,
  UserEmailDoc,
  UserEmailSchema,
  UserSchema,
} from './user.schema';
import { UsersRepository } from './users.repository';
import { UserLists } from './user-lists';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

/** Staff users, their roles and units, the bootstrap admin and the admins' user-management mutations. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: UserDoc.name, schema: UserSchema },
      { name: UserEmailDoc.name, schema: UserEmailSchema },
      { name: BootstrapClaimDoc.name, schema: BootstrapClaimSchema },
    ]),
    AuditModule,
    ReferenceModule,
  ],
  providers: [UserLists, UsersRepository, UsersService, UsersResolver, BootstrapAdminService],
  exports: [UsersService],
})
export class UsersModule {}
