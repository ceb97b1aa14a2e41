#!/usr/bin/env node
// Reads documents as a JSON-LD processor does (jsonld.js), and says what
// such a processor would drop or misread in them.
//
//   node expand.mjs --documents FILE --origin http://localhost:PORT
//
// FILE holds a JSON list of entries, each one of:
//
// - { "name": what the document is, "document": the JSON served };
// - { "name", "context": its URL }: a context document, read through a
//   document using every term it defines (fetched as a peer would);
// - { "name", "compare": { "ours", "theirs", "terms" } }: whether each of
//   `terms` means the same (expands to the same IRI) in our document as in
//   theirs, another software's whose terms ours should share.
//
// Each document is expanded twice: once in jsonld.js's safe mode, which
// refuses a document with any term its context does not define, any
// relative IRI or any value it would drop; once collecting every such
// warning, so that all of them are named, not only the first. The expanded
// form is then read for what safe mode lets through:
//
// - a property or type that is not an http(s) IRI of a known vocabulary: a
//   blank node (ActivityStreams maps every term it does not define to one,
//   so safe mode lets them through), a compact IRI whose prefix is
//   undefined (`ical:status` expands to the IRI `ical:status`), or a term of
//   some other namespace (such as one under the serving host);
// - a reference that is a relative IRI (safe mode lets `"Person"` through
//   as the IRI of a `formerType`);
// - a value typed xsd:dateTime that is not one (a bare date);
// - an actor, event or page without `published` and `updated`.
//
// Contexts are never fetched from the internet: ActivityStreams' and the
// security vocabulary's come from the copies Fedify ships (its document
// loader's preloaded contexts); only documents under ORIGIN (the server
// under test) are fetched.
//
// Prints ONE JSON document to stdout: { "checked": [names], "problems":
// [{ "document": name, "problem": text }] }. Exit codes: 0 when it ran
// (whatever it found), 2 when it cannot start (bad arguments, packages
// missing).

import { readFileSync } from "node:fs";
import { basename } from "node:path";

const PROGRAM = basename(process.argv[1] ?? "expand", ".mjs");
const USAGE = "usage: node expand.mjs --documents FILE --origin http://localhost:PORT";

function cannotStart(message) {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { documents: null, origin: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) cannotStart(`${flag} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (flag === "--documents") opts.documents = value();
    else if (flag === "--origin") opts.origin = value();
    else if (flag === "-h" || flag === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else cannotStart(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!opts.documents) cannotStart(`--documents FILE is required\n${USAGE}`);
  if (!opts.origin) cannotStart(`--origin URL is required\n${USAGE}`);
  return opts;
}

const AS = "https://www.w3.org/ns/activitystreams#";
const XSD_DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime";

// The vocabularies a document of this server may use. A property outside
// them is one a peer cannot know: usually a term defined under the wrong
// namespace.
const VOCABULARIES = [
  AS,
  "http://www.w3.org/ns/ldp#",
  "https://w3id.org/security#",
  "http://schema.org#",
  "http://joinmastodon.org/ns#",
  "https://joinmobilizon.org/ns#",
  "http://www.w3.org/2002/12/cal/ical#",
  "http://www.w3.org/2001/XMLSchema#",
  "https://w3id.org/interchange#",
];

// The objects that say when they were published and last changed.
const DATED = ["Person", "Organization", "Event", "Page"].map((t) => AS + t);

// xsd:dateTime's lexical form: a date, a time, and an optional zone.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

// The contexts a document may name besides those of the server under test:
// Fedify ships copies of these, so nothing is fetched from the internet.
const SHIPPED = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

async function loadModules() {
  try {
    const jsonld = (await import("jsonld")).default;
    const { getDocumentLoader } = await import("@fedify/fedify");
    return { jsonld, fedifyLoader: getDocumentLoader() };
  } catch (error) {
    cannotStart(`cannot load jsonld or @fedify/fedify (run \`npm ci --prefix tests/fediverse\`): ${error.message}`);
  }
}

function documentLoader(origin, fedifyLoader) {
  return async (url) => {
    if (SHIPPED.includes(url)) return fedifyLoader(url);
    if (url.startsWith(`${origin}/`)) {
      const response = await fetch(url, { headers: { accept: "application/ld+json" } });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return { contextUrl: null, documentUrl: url, document: await response.json() };
    }
    throw new Error(`${url} is neither a context Fedify ships nor on the server under test (no internet here)`);
  };
}

/** What a jsonld.js warning says, in a line. */
function describeEvent(event) {
  const details = event.details ?? {};
  const what = [];
  for (const key of ["property", "expandedProperty", "term", "expandedIri", "iri", "value", "type"]) {
    if (details[key] !== undefined) what.push(`${key} ${JSON.stringify(details[key])}`);
  }
  return `${event.code}${what.length ? ` (${what.join(", ")})` : ""}`;
}

/**
 * A document that uses every term the context document `context` (served
 * at `url`) defines, each with a value of the kind it takes, and its types.
 */
function usingEveryTerm(url, context) {
  const definitions = context?.["@context"] ?? {};
  const document = {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", url],
    id: "https://example.invalid/every-term",
    type: [],
  };
  for (const [term, definition] of Object.entries(definitions)) {
    const iri = typeof definition === "string" ? definition : definition?.["@id"];
    // Prefixes name a namespace, not a term.
    if (term.startsWith("@") || typeof iri !== "string" || /[#/:]$/.test(iri)) continue;
    if (/^[A-Z]/.test(term)) {
      document.type.push(term);
      continue;
    }
    const type = typeof definition === "object" ? definition["@type"] : undefined;
    document[term] =
      type === "@id" ? "https://example.invalid/value"
      : type === "@json" ? { any: "JSON" }
      : type === "xsd:dateTime" || type === "http://www.w3.org/2001/XMLSchema#dateTime" ? "2027-01-01T00:00:00Z"
      : "text";
  }
  return document;
}

/**
 * The IRI `term` stands for in `context`: as a property, or as a type when
 * capitalised. None when it is not defined there.
 */
async function meaning(jsonld, loader, context, term) {
  const probe = /^[A-Z]/.test(term)
    ? { "@context": context, "@id": "https://example.invalid/probe", "@type": term }
    : { "@context": context, "@id": "https://example.invalid/probe", [term]: "text" };
  const [node] = await jsonld.expand(probe, { documentLoader: loader });
  if (/^[A-Z]/.test(term)) return node?.["@type"]?.[0];
  return Object.keys(node ?? {}).find((key) => !key.startsWith("@"));
}

/** The terms of `terms` that mean something else in `ours` than in `theirs`. */
async function differences(jsonld, loader, { ours, theirs, terms }) {
  const found = [];
  for (const term of terms) {
    const mine = await meaning(jsonld, loader, ours["@context"], term);
    const other = await meaning(jsonld, loader, theirs["@context"], term);
    if (mine !== other) found.push(`${term} is ${mine ?? "undefined"} here, ${other ?? "undefined"} there`);
  }
  return found;
}

/** The problems in the expanded form of a document. */
function readExpanded(expanded) {
  const problems = new Set();
  const knownIri = (iri) => VOCABULARIES.some((v) => iri.startsWith(v) && iri.length > v.length);
  const checkIri = (iri, role) => {
    if (iri.startsWith("_:")) problems.add(`${role} ${iri} is a blank node`);
    else if (!/^https?:\/\//.test(iri)) problems.add(`${role} ${iri} is not an http(s) IRI (an undefined prefix?)`);
    else if (!knownIri(iri)) problems.add(`${role} ${iri} is in no known vocabulary`);
  };
  const walk = (value) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== "object") return;
    if ("@value" in value) {
      const type = value["@type"];
      if (type !== undefined && type !== "@json") checkIri(type, "datatype");
      if (type === XSD_DATE_TIME && !DATE_TIME.test(String(value["@value"]))) {
        problems.add(`${JSON.stringify(value["@value"])} is typed xsd:dateTime but is not one`);
      }
      return;
    }
    const types = value["@type"] ?? [];
    for (const type of types) checkIri(type, "type");
    const dated = types.find((t) => DATED.includes(t));
    if (dated) {
      for (const property of ["published", "updated"]) {
        if (!(AS + property in value)) {
          problems.add(`${dated.slice(AS.length)} ${value["@id"] ?? ""} has no ${property}`);
        }
      }
    }
    const id = value["@id"];
    if (id !== undefined && !id.startsWith("_:") && !/^[a-z][a-z0-9+.-]*:/i.test(id)) {
      problems.add(`${JSON.stringify(id)} is a relative IRI`);
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key === "@type" || key === "@id") continue;
      if (!key.startsWith("@")) checkIri(key, "property");
      walk(inner);
    }
  };
  walk(expanded);
  return [...problems];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { jsonld, fedifyLoader } = await loadModules();
  let documents;
  try {
    documents = JSON.parse(readFileSync(opts.documents, "utf8"));
  } catch (error) {
    cannotStart(`cannot read ${opts.documents}: ${error.message}`);
  }
  const loader = documentLoader(opts.origin, fedifyLoader);
  const report = { checked: [], problems: [] };
  const problem = (name, text) => report.problems.push({ document: name, problem: text });
  for (const entry of documents) {
    const { name } = entry;
    report.checked.push(name);
    if (entry.compare) {
      try {
        for (const text of await differences(jsonld, loader, entry.compare)) problem(name, text);
      } catch (error) {
        problem(name, `cannot be compared: ${error.message}`);
      }
      continue;
    }
    let document = entry.document;
    if (entry.context) {
      try {
        document = usingEveryTerm(entry.context, (await loader(entry.context)).document);
      } catch (error) {
        problem(name, `cannot be fetched: ${error.message}`);
        continue;
      }
    }
    // Every warning, named.
    const warnings = [];
    let expanded;
    try {
      expanded = await jsonld.expand(structuredClone(document), {
        documentLoader: loader,
        eventHandler: ({ event }) => {
          if (event.level === "warning") warnings.push(describeEvent(event));
        },
      });
    } catch (error) {
      problem(name, `cannot be expanded: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ""}`);
      continue;
    }
    for (const warning of new Set(warnings)) problem(name, warning);
    // Safe mode, as a strict peer reads: it must accept the document whole.
    try {
      await jsonld.expand(structuredClone(document), { documentLoader: loader, safe: true });
    } catch (error) {
      const event = error.details?.event;
      problem(name, `refused in safe mode: ${event ? describeEvent(event) : error.message}`);
    }
    for (const text of readExpanded(expanded)) problem(name, text);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
