// kafkajs producer + admin against Fjord. Usage: node produce.js <bootstrap> <topic> <count>
// Produces <count> keyed records with headers (half gzip, half uncompressed) with acks=-1, then
// reads the end offset back with the admin client and prints a JSON summary.
const { Kafka, CompressionTypes, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic, countText] = process.argv.slice(2);
  const count = Number(countText);
  const kafka = new Kafka({ clientId: 'fjord-kafkajs-it', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const half = Math.floor(count / 2);
  const batch = (from, to) => Array.from({ length: to - from }, (_, i) => ({
    key: `key-${from + i}`, value: `value-${from + i}`, headers: { h: `header-${from + i}` },
  }));
  const first = await producer.send({ topic, acks: -1, messages: batch(0, half) });
  const second = await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch(half, count) });
  await producer.disconnect();

  const offsets = await admin.fetchTopicOffsets(topic);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();
  console.log(JSON.stringify({
    firstBaseOffset: first[0].baseOffset,
    secondBaseOffset: second[0].baseOffset,
    high: offsets[0].high,
    low: offsets[0].low,
    partitions: metadata.topics[0].partitions.length,
  }));
}

main().catch((error) => {
  console.error('KAFKAJS-FAILED', error);
  process.exit(1);
});
