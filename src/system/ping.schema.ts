import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A diagnostic ping: requested through the API, completed by a worker. `_id` is the ping id, so the worker's
 * completion is an idempotent keyed write and every read is an exact `_id` lookup.
 */
@Schema({ collection: 'system_pings', versionKey: false })
export class PingDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  message: string;

  @Prop({ type: String, required: true })
  correlationId: string;

  @Prop({ type: Date, required: true })
  requestedAt: Date;

  @Prop({ type: Date })
  completedAt?: Date;

  @Prop({ type: Number })
  workerPid?: number;
}

export const PingSchema = SchemaFactory.createForClass(PingDoc);
