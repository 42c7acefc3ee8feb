/**
 * The accounts one batch part holds: two of GuardDuty's 50-account calls per step, and a part's
 * outcomes (about 550 bytes per account with the longest messages) far below Step Functions' 256 KiB state limit.
 * The state machine partitions a batch by this number (States.ArrayPartition); kept in a module of
 * its own so the CDK app reads it without loading the SDK.
 */
export const BATCH_PART_SIZE = 100;
