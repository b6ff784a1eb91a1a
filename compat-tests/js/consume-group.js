// kafkajs consumer group against Fjord. Usage: node consume-group.js <bootstrap> <topic> <group> <count>
// Two consumers join one group on <topic>; once both hold partitions, a producer writes <count>
// records over every partition; the script waits until the group has consumed all of them and
// prints a JSON summary: how many records each member saw and what it was assigned.
const { Kafka, logLevel } = require('kafkajs');

const TIMEOUT_MS = 60000;

async function waitFor(condition, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  const [bootstrap, topic, groupId, countText] = process.argv.slice(2);
  const count = Number(countText);
  const kafka = new Kafka({ clientId: 'fjord-kafkajs-group-it', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const partitionCount = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
  await admin.disconnect();

  const seen = new Set();
  const members = [0, 1].map(() => ({ consumer: kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 500 }), seen: 0, assigned: [] }));
  for (const member of members) {
    member.consumer.on(member.consumer.events.GROUP_JOIN, (event) => {
      member.assigned = event.payload.memberAssignment[topic] || [];
    });
    await member.consumer.connect();
    await member.consumer.subscribe({ topic, fromBeginning: true });
    await member.consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(message.value.toString());
        member.seen += 1;
      },
    });
  }
  await waitFor(() => members.every((m) => m.assigned.length > 0)
    && members.reduce((sum, m) => sum + m.assigned.length, 0) === partitionCount, 'both members to share the partitions');

  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({ partition: i % partitionCount, value: `group-value-${i}` }));
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();

  await waitFor(() => seen.size === count, `all ${count} records`);
  for (const member of members) {
    await member.consumer.disconnect();
  }
  console.log(JSON.stringify({
    union: seen.size,
    seen: members.map((m) => m.seen),
    assigned: members.map((m) => m.assigned.slice().sort()),
  }));
}

main().catch((error) => {
  console.error('KAFKAJS-FAILED', error);
  process.exit(1);
});
