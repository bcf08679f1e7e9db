/** The peer libraries users migrate from, by the package names the report shows. */
export const PEER_KAFKAJS = '@kafkajs/confluent-schema-registry';
/** Confluent's own JavaScript serdes. */
export const PEER_CONFLUENT = '@confluentinc/schemaregistry';
/** Both peers, in the order of the table's columns. */
export const PEERS: readonly string[] = [PEER_KAFKAJS, PEER_CONFLUENT];
