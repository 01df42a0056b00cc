// Runs one request through @zoom/rivet's AwsLambdaReceiver (signature check and
// URL-validation answer) and prints the Lambda response: used by make_fixtures.py.
console.debug = () => {};
const { AwsLambdaReceiver } = await import("@zoom/rivet/meetings");
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString());
const receiver = new AwsLambdaReceiver({ webhooksSecretToken: input.secret });
receiver.init({ eventEmitter: { emit: async () => {} } });
const response = await receiver.start()({ body: input.body, headers: input.headers, isBase64Encoded: false }, {});
process.stdout.write(JSON.stringify(response));
