// Sends events to FanOut's HTTP Event API with the official inngest npm client (version pinned in package.json), then
// asks the app what its C# functions received. Run against samples/SignupApi:
//
//   node send-events.mjs <baseUrl> <eventKey>      e.g. node send-events.mjs http://127.0.0.1:5080 dev-key
//
// Exits 0 when every check passed; otherwise prints what failed and exits 1.
import { Inngest } from "inngest";
import { randomBytes } from "node:crypto";

const [baseUrl, eventKey] = process.argv.slice(2);
if (!baseUrl || !eventKey) {
  console.error("usage: node send-events.mjs <baseUrl> <eventKey>");
  process.exit(2);
}
const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
const run = `${Date.now()}-${randomBytes(3).toString("hex")}`; // unique user ids per run, so a reused store is fine
const signup = (n, plan = "pro") => ({
  name: "app/user.signup",
  data: { user: { id: `node-${run}-${n}`, email: `user${n}@example.com`, name: `User ${n}` }, plan },
});

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// Cloud mode, as in production: the key and the base URL are given; isDev: false so the client does not look for
// Inngest's dev server.
const inngest = new Inngest({ id: "fanout-node-test", eventKey, baseUrl: base, isDev: false });

// 1. One event.
const single = await inngest.send(signup(1));
check(single.ids.length === 1 && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(single.ids[0]), `single send answered one FanOut id: ${JSON.stringify(single.ids)}`);

// 2. A batch of three.
const batch = await inngest.send([signup(2, "team"), signup(3, "team"), signup(4, "team")]);
check(batch.ids.length === 3 && new Set(batch.ids).size === 3, `batch send answered three distinct ids: ${JSON.stringify(batch.ids)}`);

// 3. A wrong key: the client retries, then throws; nothing may be stored.
const wrong = new Inngest({ id: "fanout-node-test", eventKey: "not-a-configured-key", baseUrl: base, isDev: false });
let refused = null;
try {
  await wrong.send(signup(5));
} catch (e) {
  refused = e;
}
check(refused !== null, `wrong key refused: ${refused ? String(refused.message ?? refused).split("\n")[0] : "it was accepted"}`);

// 4. A retried request. The client sends the same x-inngest-event-id-seed header on each of its retries; its own
// retries are hard to provoke, so the same request is sent twice by hand, as the client would send it.
const seed = `${Date.now()},${randomBytes(10).toString("base64")}`;
const retriedBody = JSON.stringify([{ ...signup(6), ts: Date.now() }]);
const post = () =>
  fetch(new URL(`e/${eventKey}`, base), {
    method: "POST",
    headers: { "content-type": "application/json", "x-inngest-event-id-seed": seed },
    body: retriedBody,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
const first = await post();
const again = await post();
check(first.status === 200 && again.status === 200, `retried request answered 200 twice (${first.status}, ${again.status})`);
check(JSON.stringify(first.body.ids) === JSON.stringify(again.body.ids), `retried request answered the same ids: ${JSON.stringify(first.body.ids)} and ${JSON.stringify(again.body.ids)}`);

// What the C# function 'record-signup' received, once every one of its runs has finished (bounded wait).
async function recorded(n) {
  const url = new URL(`signups/node-${run}-${n}`, base);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await (await fetch(url)).json();
    if (answer.pendingRuns === 0 && answer.recorded.length > 0) return answer.recorded;
    if (Date.now() > deadline) return answer.recorded; // checked below, with a message
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const expectOne = async (n, eventId, plan) => {
  const got = await recorded(n);
  check(got.length === 1, `user ${n}: the C# function ran once (${got.length} times)`);
  if (got.length === 1) {
    const r = got[0];
    check(r.eventId === eventId, `user ${n}: it ran for event ${eventId} (${r.eventId})`);
    check(r.email === `user${n}@example.com` && r.name === `User ${n}` && r.plan === plan, `user ${n}: it received the data sent: ${JSON.stringify(r)}`);
  }
};
await expectOne(1, single.ids[0], "pro");
await expectOne(2, batch.ids[0], "team");
await expectOne(3, batch.ids[1], "team");
await expectOne(4, batch.ids[2], "team");
await expectOne(6, first.body.ids[0], "pro");
const neverStored = await (await fetch(new URL(`signups/node-${run}-5`, base))).json();
check(neverStored.recorded.length === 0, `user 5 (wrong key): nothing ran (${neverStored.recorded.length} times)`);

if (failures > 0) {
  console.error(`${failures} check(s) failed.`);
  process.exit(1);
}
console.log("every check passed: the inngest client's sends ran the C# functions with their data, once each.");
