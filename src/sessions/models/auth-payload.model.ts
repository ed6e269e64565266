import { Field, ObjectType } from '@nestjs/graphql';
import { User } from '../../users/models/user.model';

@ObjectType({ description: 'Tokens of a login or a refresh.' })
export class AuthPayload {
  @Field({
    description:
      'Short-lived JWT: send as `Authorization: Bearer <accessToken>` (WebSocket: connection_init `authorization`).',
  })
  accessToken: string;

  @Field()
  accessTokenExpiresAt: Date;

  @Field({
    description:
      'Opaque, single use: exchange it with `refreshToken` for new tokens. Reusing an old one ends the session.',
  })
  refreshToken: string;

  @Field()
  refreshTokenExpiresAt: Date;

  @Field(() => User)
  user: User;
}
