// One MQTT.js client: connects to the URL given, subscribes to a topic, publishes three QoS 1
// messages to it and prints what comes back as one JSON line, then exits (1 on any error).
// Usage: node roundtrip.js URL CA_FILE TOPIC
const fs = require('fs');
const mqtt = require('mqtt');

const [url, caFile, topic] = process.argv.slice(2);
const options = { protocolVersion: 5, clean: true, connectTimeout: 20000, reconnectPeriod: 0 };
if (caFile) {
  options.ca = fs.readFileSync(caFile);
  options.rejectUnauthorized = true;
}
const client = mqtt.connect(url, options);
const received = [];
let ending = false;
const fail = (error) => {
  if (ending) {
    return; // a write racing the DISCONNECT (say the last PUBACK) may fail once the server closed
  }
  console.error(String(error));
  process.exit(1);
};
setTimeout(() => fail('timed out with ' + JSON.stringify(received)), 30000);
client.on('error', fail);
client.on('message', (receivedTopic, payload, packet) => {
  received.push({ topic: receivedTopic, body: payload.toString(), qos: packet.qos });
  if (received.length === 3) {
    console.log(JSON.stringify(received));
    ending = true;
    client.end(false, () => process.exit(0));
  }
});
client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, (error) => {
    if (error) {
      fail(error);
    }
    for (let i = 1; i <= 3; i++) {
      client.publish(topic, 'm' + i, { qos: 1 });
    }
  });
});
