// Reads ActivityPub documents as Fedify reads what it fetches, and as a
// JSON-LD processor (jsonld.js) expands them, for tests/fediverse.rs.
//
//   node lookup.mjs URL...
//
// For each URL, one JSON object a line on stdout: what Fedify's vocabulary
// made of the document (its type, id, name, and the fields the test
// checks), with, for a collection, its first page as Fedify follows it,
// and the terms no JSON-LD context defines (`undefinedTerms`, as jsonld.js
// expands the document); or the error that stopped it.

import { getDocumentLoader } from "@fedify/fedify";
import {
  Collection,
  CollectionPage,
  Event,
  getTypeId,
  Object as ASObject,
} from "@fedify/vocab";
import jsonld from "jsonld";

// Every document in the test is on the loopback.
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const loaders = { documentLoader, contextLoader: documentLoader };

/** The ActivityStreams type of a vocabulary object, as written in JSON. */
function typeOf(object) {
  return getTypeId(object).href.replace("https://www.w3.org/ns/activitystreams#", "");
}

/** What the test is told of an object, whatever its type. */
function summary(object) {
  return {
    type: typeOf(object),
    id: object.id?.href ?? null,
    name: object.name?.toString() ?? null,
  };
}

/** The terms of `document` that no context defines, as jsonld.js expands
 * it: ActivityStreams maps them to blank-node IRIs (`_:timezone`), so
 * they are kept, but as nothing any other reader can recognise. */
async function undefinedTerms(document) {
  const found = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node == null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("_:")) found.add(key.slice(2));
      if (key === "@type") [value].flat().filter((t) => t.startsWith("_:")).forEach((t) => found.add(t.slice(2)));
      // A JSON literal (`@type: @json`) is data, not terms.
      if (key !== "@value") visit(value);
    }
  };
  visit(await jsonld.expand(document, { documentLoader }));
  return [...found].sort();
}

/** The items a collection page carries whole, each summarised; those it
 * only names are in its `itemIds`, and not fetched. */
async function embeddedItems(page) {
  const refuse = async (url) => {
    throw new Error(`${url} is not fetched`);
  };
  const found = [];
  const options = { documentLoader: refuse, contextLoader: documentLoader, suppressError: true };
  for await (const item of page.getItems(options)) found.push(summary(item));
  return found;
}

/** A collection page as the test is told of it. */
async function page(object) {
  return {
    ...summary(object),
    partOf: object.partOfId?.href ?? null,
    next: object.nextId?.href ?? null,
    itemIds: object.itemIds.map((id) => id.href),
    items: await embeddedItems(object),
  };
}

/** Everything the test checks of the document at `url`. */
async function read(url) {
  const { document, documentUrl } = await documentLoader(url);
  // As Fedify's lookupObject reads a fetched document, with the errors
  // it would hide kept.
  const object = await ASObject.fromJsonLd(document, { ...loaders, baseUrl: new URL(documentUrl) });
  const report = { url, ...summary(object), undefinedTerms: await undefinedTerms(document) };
  if (object.id != null && object.id.origin !== new URL(documentUrl).origin) {
    report.error = `its id ${object.id.href} is on another origin than ${documentUrl}`;
  }
  if (object instanceof Event) {
    report.startTime = object.startTime?.toString() ?? null;
    report.endTime = object.endTime?.toString() ?? null;
    const place = await object.getLocation(loaders);
    report.location = place == null ? null : summary(place);
  }
  if (object instanceof CollectionPage) {
    Object.assign(report, await page(object));
  } else if (object instanceof Collection) {
    report.totalItems = object.totalItems;
    const first = await object.getFirst(loaders);
    report.first = first == null ? null : await page(first);
  }
  return report;
}

for (const url of process.argv.slice(2)) {
  let report;
  try {
    report = await read(url);
  } catch (error) {
    report = { url, error: String(error) };
  }
  process.stdout.write(JSON.stringify(report) + "\n");
}
