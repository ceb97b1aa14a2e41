// A fediverse server built on Fedify, run by tests/fediverse.rs beside
// `interchange federate`: one person, alice, who follows and is followed,
// with Fedify's own checks on everything that arrives.
//
//   node peer.mjs --port PORT [--follow ACTOR_URL] [--require-signed-fetch]
//
// Everything that happens is printed on stdout as one JSON object a line
// (`{"event":"accept",...}`), for the test to read. Fedify calls an inbox
// listener only for an activity whose HTTP signature it verified, so an
// event named after an activity means that activity was signed correctly.
// `POST /_follow` with an actor's URL as its body makes alice follow it.
// With `--require-signed-fetch`, alice's documents are given only to
// signed requests (as GoToSocial, and Mastodon in authorized-fetch mode,
// do): an unsigned GET is answered 401.

import { createServer } from "node:http";
import { parseArgs } from "node:util";

import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  getTypeId,
  Person,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";

const { values: options } = parseArgs({
  options: {
    port: { type: "string" },
    follow: { type: "string" },
    "require-signed-fetch": { type: "boolean", default: false },
  },
});
const port = Number(options.port);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node peer.mjs --port PORT [--follow ACTOR_URL] [--require-signed-fetch]");
  process.exit(2);
}
const origin = `http://localhost:${port}`;
const requireSignedFetch = options["require-signed-fetch"];

/** Prints one event for the test. */
function report(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

/** The ActivityStreams type of a vocabulary object, as written in JSON. */
function typeOf(object) {
  return getTypeId(object).href.replace("https://www.w3.org/ns/activitystreams#", "");
}

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
// The actors alice accepted as followers.
const followers = new Set();

const federation = createFederation({
  kv: new MemoryKvStore(),
  origin,
  // Every server in the test is on the loopback.
  allowPrivateAddress: true,
});

/** Whether a GET may be answered: signed by a key Fedify could verify, if
 * signed fetches are required. */
async function authorized(ctx) {
  const key = await ctx.getSignedKey();
  report("fetched", {
    path: new URL(ctx.request.url).pathname,
    signedBy: key?.id?.href ?? null,
  });
  return !requireSignedFetch || key != null;
}

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "alice") return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice Peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === "alice" ? [keyPair] : []))
  .authorize(authorized);

federation
  .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
    if (identifier !== "alice") return null;
    return { items: [...followers].map((id) => ({ id: new URL(id), inboxId: null })) };
  })
  .authorize(authorized);

/** What the test is told of an activity received. */
async function received(ctx, activity) {
  const object = await activity.getObject(ctx);
  return {
    id: activity.id?.href,
    actor: activity.actorId?.href,
    object: object == null ? activity.objectId?.href : {
      type: typeOf(object),
      id: object.id?.href,
      name: object.name?.toString() ?? null,
      content: object.content?.toString() ?? null,
      to: object.toIds.map((id) => id.href),
      cc: object.ccIds.map((id) => id.href),
    },
  };
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    report("follow", { id: follow.id?.href, actor: follow.actorId?.href, object: follow.objectId?.href });
    const target = ctx.parseUri(follow.objectId);
    if (target?.type !== "actor" || target.identifier !== "alice") return;
    const follower = await follow.getActor(ctx);
    const accept = new Accept({
      id: new URL(`/accepts/${crypto.randomUUID()}`, origin),
      actor: ctx.getActorUri("alice"),
      object: follow,
    });
    // Sent at once (no queue): a refusal surfaces here.
    await ctx.sendActivity({ identifier: "alice" }, follower, accept);
    followers.add(follower.id.href);
    report("accept-sent", { to: follower.id.href });
  })
  .on(Accept, async (ctx, accept) => {
    report("accept", { actor: accept.actorId?.href, follow: accept.objectId?.href });
  })
  .on(Reject, async (ctx, reject) => {
    report("reject", { actor: reject.actorId?.href, follow: reject.objectId?.href });
  })
  .on(Create, async (ctx, create) => report("create", await received(ctx, create)))
  .on(Update, async (ctx, update) => report("update", await received(ctx, update)))
  .on(Delete, async (ctx, del) => report("delete", await received(ctx, del)))
  .on(Announce, async (ctx, announce) => report("announce", {
    id: announce.id?.href,
    actor: announce.actorId?.href,
    object: announce.objectId?.href,
  }))
  .on(Undo, async (ctx, undo) => report("undo", { actor: undo.actorId?.href, object: undo.objectId?.href }))
  .onUnverifiedActivity((ctx, activity, reason) => {
    report("unverified", { id: activity.id?.href, type: typeOf(activity), reason: reason.type });
  })
  .onError((ctx, error) => report("inbox-error", { message: String(error) }));

/** Alice follows the actor at `url`. */
async function follow(url) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const actor = await ctx.lookupObject(url);
  if (actor == null || actor.inboxId == null) {
    throw new Error(`${url} is not an actor Fedify can read`);
  }
  const activity = new Follow({
    id: new URL(`/follows/${crypto.randomUUID()}`, origin),
    actor: ctx.getActorUri("alice"),
    object: actor.id,
  });
  await ctx.sendActivity({ identifier: "alice" }, actor, activity);
  report("follow-sent", { id: activity.id.href, object: actor.id.href });
}

/** A node:http request as the Fetch API `Request` Fedify takes. */
async function toRequest(incoming) {
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
    headers.append(incoming.rawHeaders[i], incoming.rawHeaders[i + 1]);
  }
  const chunks = [];
  for await (const chunk of incoming) chunks.push(chunk);
  const hasBody = !["GET", "HEAD"].includes(incoming.method);
  return new Request(new URL(incoming.url, `http://${incoming.headers.host ?? `localhost:${port}`}`), {
    method: incoming.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

const server = createServer(async (incoming, outgoing) => {
  try {
    const request = await toRequest(incoming);
    let response;
    if (request.method === "POST" && new URL(request.url).pathname === "/_follow") {
      try {
        await follow((await request.text()).trim());
        response = new Response("following\n", { status: 202 });
      } catch (error) {
        report("follow-failed", { message: String(error) });
        response = new Response(`${error}\n`, { status: 500 });
      }
    } else {
      response = await federation.fetch(request, { contextData: undefined });
    }
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    report("server-error", { message: String(error?.stack ?? error) });
    outgoing.writeHead(500).end();
  }
});

server.listen(port, "127.0.0.1", async () => {
  report("ready", { actor: `${origin}/users/alice` });
  if (options.follow) {
    try {
      await follow(options.follow);
    } catch (error) {
      report("follow-failed", { message: String(error) });
    }
  }
});

// Stopped by the test: end without a word.
process.on("SIGTERM", () => process.exit(0));
