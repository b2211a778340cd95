// Runs graphql-http's serverAudits against the URL given as the only
// argument and prints one JSON line per audit: {id, name, status, reason}.
// Exit status 1 when any MUST audit fails.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const audits = serverAudits({ url, fetchFn: fetch });
let mustFailed = 0;
for (const audit of audits) {
  const result = await audit.fn();
  const line = { id: audit.id, name: audit.name, status: result.status };
  if (result.status !== 'ok') {
    line.reason = result.reason;
    if (audit.name.startsWith('MUST')) mustFailed++;
  }
  console.log(JSON.stringify(line));
}
process.exit(mustFailed > 0 ? 1 : 0);
