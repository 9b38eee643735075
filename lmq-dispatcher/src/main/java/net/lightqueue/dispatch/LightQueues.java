package net.lightqueue.dispatch;

/**
 * What a protocol plugin sees of the dispatcher, all roles in one: reading the queues
 * ({@link QueueReads}), holding subscriptions ({@link SubscriptionTable}), keeping its own state
 * ({@link ProtocolState}) and the retained messages ({@link RetainedMessages}). A part of the
 * plugin that needs one role should hold that role's interface.
 */
public interface LightQueues extends QueueReads, SubscriptionTable, ProtocolState, RetainedMessages {
}
