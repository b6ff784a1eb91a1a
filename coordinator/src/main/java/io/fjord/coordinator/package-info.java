/**
 * Fjord's coordinators: the group coordinator (classic and KIP-848 consumer groups, committed
 * offsets) and, later, the transaction coordinator. Each is a single-threaded state machine that
 * takes time as an input and persists through a port the broker implements on an internal topic.
 */
package io.fjord.coordinator;
