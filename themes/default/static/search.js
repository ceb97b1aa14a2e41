// Search in the reader's browser, from the static index under /search/
// (see docs/outputs.md). A query downloads only what it needs: the term shard
// of each of its words' first two characters, then the document chunks of
// the results it shows. No dependencies and no build step.
//
// The search page works without this script too: the form still submits, and
// the page offers the topic pages to browse instead.
(() => {
  "use strict";

  const INDEX = "/search/";
  // Results shown for one query.
  const LIMIT = 20;
  // Words of one query that are looked up; the rest are ignored, so that
  // a pasted paragraph cannot download much of the index.
  const MAX_WORDS = 10;
  const KINDS = {
    profile: "Profile",
    organisation: "Organisation",
    event: "Event",
    consultation: "Consultation",
    ask: "Ask",
    page: "Page",
  };

  // ------------------------------------------------------------ tokens

  // As the index splits text: at anything that is not a letter or a digit
  // (Rust's char::is_alphanumeric), keeping words of two characters or more,
  // lower-cased.
  const SEPARATOR = /[^\p{Alphabetic}\p{N}]+/u;

  function tokens(text) {
    const out = [];
    for (const word of text.split(SEPARATOR)) {
      // Characters, as Rust counts them: code points, not UTF-16 units.
      if ([...word].length >= 2) out.push(word.toLowerCase());
    }
    return out;
  }

  // The shard of a token: its first two characters, `_` for any outside a-z0-9.
  function shardKey(token) {
    return [...token]
      .slice(0, 2)
      .map((c) => (/^[a-z0-9]$/.test(c) ? c : "_"))
      .join("");
  }

  // The words of a query to look up, each once, in order.
  function queryWords(query, stopWords) {
    const words = [...new Set(tokens(query))];
    const kept = words.filter((w) => !stopWords.has(w));
    return (kept.length > 0 ? kept : words).slice(0, MAX_WORDS);
  }

  // ------------------------------------------------------------ the index

  const files = new Map();

  // A JSON file of the index, fetched once per page. `null` when it does not
  // exist (a shard with no tokens); rejects on any other failure.
  function load(path) {
    let promise = files.get(path);
    if (!promise) {
      promise = fetch(INDEX + path, { headers: { Accept: "application/json" } }).then((response) => {
        if (response.status === 404 || response.status === 410) return null;
        if (!response.ok) throw new Error(`${INDEX}${path} answered HTTP ${response.status}`);
        return response.json();
      });
      // A failure is not kept: the next search tries again.
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return promise;
  }

  let settings = null;

  async function meta() {
    if (!settings) {
      settings = load("meta.json").then((m) => {
        const size = Number(m?.chunk_size);
        if (!Number.isInteger(size) || size < 1) throw new Error("search/meta.json has no chunk_size");
        // The words the index leaves out, listed by the build. They are
        // dropped from a query unless it has nothing else, so that "head of
        // housing" is not narrowed to pages with a word beginning "of".
        const stop = Array.isArray(m.stop_words) ? m.stop_words : [];
        return { chunkSize: size, stopWords: new Set(stop) };
      });
      settings.catch(() => {
        settings = null;
      });
    }
    return settings;
  }

  // For each document that has a token starting with every word: the sum of
  // those tokens' weights. Documents are numbers.
  async function score(words) {
    const shards = await Promise.all(words.map((w) => load(`terms/${shardKey(w)}.json`)));
    let scores = null;
    words.forEach((word, i) => {
      if (scores !== null && scores.size === 0) return;
      const found = new Map();
      for (const [token, postings] of Object.entries(shards[i] ?? {})) {
        if (!token.startsWith(word) || !Array.isArray(postings)) continue;
        for (const [doc, weight] of postings) {
          found.set(doc, (found.get(doc) ?? 0) + weight);
        }
      }
      if (scores === null) {
        scores = found;
      } else {
        const both = new Map();
        for (const [doc, total] of scores) {
          if (found.has(doc)) both.set(doc, total + found.get(doc));
        }
        scores = both;
      }
    });
    return scores ?? new Map();
  }

  // The documents with these numbers, fetching only the chunks they are in.
  async function documents(ids, chunkSize) {
    const chunks = [...new Set(ids.map((id) => Math.floor(id / chunkSize)))];
    const loaded = new Map();
    await Promise.all(
      chunks.map(async (n) => {
        loaded.set(n, (await load(`docs/${n}.json`)) ?? []);
      }),
    );
    return ids
      .map((id) => {
        const n = Math.floor(id / chunkSize);
        const chunk = loaded.get(n);
        const doc = chunk[id - n * chunkSize];
        return doc?.id === id ? doc : chunk.find((d) => d?.id === id);
      })
      .filter((doc) => doc && typeof doc.title === "string");
  }

  async function search(query) {
    const { chunkSize, stopWords } = await meta();
    const words = queryWords(query, stopWords);
    if (words.length === 0) return { total: 0, docs: [], tooShort: true };
    const scores = await score(words);
    const best = [...scores]
      .sort(([a, x], [b, y]) => y - x || a - b)
      .slice(0, LIMIT)
      .map(([id]) => id);
    return { total: scores.size, docs: await documents(best, chunkSize) };
  }

  // ------------------------------------------------------------ the page

  const form = document.querySelector('form[role="search"]');
  const input = form?.querySelector('input[name="q"]');
  const region = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !region) return;
  const pageTitle = document.title;

  function element(name, props, ...children) {
    const el = document.createElement(name);
    Object.assign(el, props);
    el.append(...children.filter((c) => c !== null && c !== undefined));
    return el;
  }

  // A link to a page of this site, or of another when the index says so;
  // anything but http(s) is shown as text.
  function safeUrl(url) {
    try {
      const u = new URL(url, location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? url : null;
    } catch {
      return null;
    }
  }

  function result(doc) {
    const url = safeUrl(doc.url);
    const title = url ? element("a", { href: url }, doc.title) : doc.title;
    const kind = KINDS[doc.kind];
    return element(
      "li",
      { className: "result" },
      element("h3", { className: "result__title" }, title),
      doc.summary ? element("p", {}, doc.summary) : null,
      kind ? element("p", { className: "secondary" }, element("span", { className: "tag" }, kind)) : null,
    );
  }

  const quoted = (query) => `‘${query}’`;

  function heading(total, query) {
    if (total === 0) return `No results for ${quoted(query)}`;
    return `${total} ${total === 1 ? "result" : "results"} for ${quoted(query)}`;
  }

  function showResults(query, { total, docs, tooShort }) {
    const title = heading(total, query);
    const parts = [element("h2", { id: "search-results-heading" }, title)];
    if (tooShort) {
      parts.push(element("p", {}, "Search for words of at least two letters or digits."));
    } else if (total === 0) {
      parts.push(
        element("p", {}, "Check the spelling, try fewer words, or search for the start of a word, such as ‘hous’ for housing."),
      );
    } else {
      if (total > docs.length) {
        parts.push(element("p", { className: "secondary" }, `Showing the ${docs.length} best matches. Add words to narrow the search.`));
      }
      parts.push(element("ul", { className: "results" }, ...docs.map(result)));
    }
    region.replaceChildren(...parts);
    document.title = `${title} – ${pageTitle}`;
    announce(title);
  }

  function showFailure(query) {
    const title = "Sorry, search is not working";
    region.replaceChildren(
      element("h2", { id: "search-results-heading" }, title),
      element("p", {}, `Your search for ${quoted(query)} could not be finished. Try again, or browse the directory below.`),
    );
    document.title = `${title} – ${pageTitle}`;
    announce(`${title}. Try again, or browse the directory.`);
  }

  function clear() {
    region.replaceChildren();
    document.title = pageTitle;
    announce("");
  }

  // Announces `text` in the live region. It is emptied first, so that the
  // same count for a second search is announced again.
  let announcing = 0;
  function announce(text) {
    if (!status) return;
    const turn = ++announcing;
    status.textContent = "";
    if (text) {
      setTimeout(() => {
        if (turn === announcing) status.textContent = text;
      }, 100);
    }
  }

  // Only the latest search is shown, however the answers arrive.
  let latest = 0;
  async function run(raw) {
    const query = raw.trim().replace(/\s+/g, " ");
    const turn = ++latest;
    if (!query) return clear();
    region.setAttribute("aria-busy", "true");
    try {
      const found = await search(query);
      if (turn === latest) showResults(query, found);
    } catch (e) {
      if (turn === latest) showFailure(query);
      console.error("search:", e);
    } finally {
      if (turn === latest) region.removeAttribute("aria-busy");
    }
  }

  // Keeps ?q= in the address, for reloading, bookmarking and sharing.
  function remember(query) {
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    url.hash = "";
    history.replaceState(history.state, "", url);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember(input.value.trim());
    run(input.value);
  });

  const initial = new URLSearchParams(location.search).get("q") ?? "";
  if (initial) {
    input.value = initial;
    run(initial);
  } else {
    // Ready for the first query.
    meta().catch(() => {});
  }
})();
