/* fixbook search: the header's instant results, the search page, and the status lookup.
 *
 * Loaded deferred on every page (no inline code: the CSP allows script-src 'self' only).
 * Reads from <html>: data-base (the site's base path, e.g. "/kb/"; default "/") and
 * data-api="1" (served by `fixbook serve`: ask /api/search first).
 *
 * Status lookup: statusLookup() below is the same algorithm as src/search/status_lookup.rs
 * over status-index.json (same normalization, per-word Damerau-Levenshtein, ranking), so a
 * query that looks like a status message puts that status page first here as on the server.
 * Text results: /api/search when data-api="1", else the static index in <base>search-index/
 * written by src/search/static_bundle/ (same normalization, same stemmer, BM25 weights).
 */
(function () {
  "use strict";

  var root = typeof document === "undefined" ? { dataset: {} } : document.documentElement;
  var BASE = withSlash(root.dataset.base || "/");
  var USE_API = root.dataset.api === "1";
  var DROPDOWN_LIMIT = 8;
  var PAGE_LIMIT = 30;
  var DEBOUNCE_MS = 120;
  var KIND_LABELS = { article: "Problem", fix: "Fix", status: "Status message" };

  function withSlash(path) {
    return path.charAt(path.length - 1) === "/" ? path : path + "/";
  }

  /* A site-relative URL ("/status/paused/", relative to the base path, as in SearchDoc.url,
   * status-index.json and the static index) as a path from the host root. */
  function siteUrl(url) {
    return BASE + String(url).replace(/^\/+/, "");
  }

  /* ---- Normalization: mirror of src/search/normalize.rs ---------------------------------- */

  var MAX_QUERY_CHARS = 200;
  var MAX_QUERY_TOKENS = 24;
  var ALPHANUMERIC = /^[\p{Alphabetic}\p{N}]$/u;
  var APOSTROPHES = "'\u2018\u2019\u201B\u02BC`\u00B4";

  function isAsciiDigit(c) {
    return c !== undefined && c >= "0" && c <= "9" && c.length === 1;
  }

  function normalize(text) {
    var chars = Array.from(String(text).toLowerCase());
    var out = "";
    var pendingSpace = false;
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (ALPHANUMERIC.test(c)) {
        if (pendingSpace && out !== "") out += " ";
        pendingSpace = false;
        out += c;
      } else if (APOSTROPHES.indexOf(c) !== -1) {
        continue;
      } else if ((c === "," || c === ".") && isAsciiDigit(chars[i - 1]) && isAsciiDigit(chars[i + 1])) {
        continue;
      } else {
        pendingSpace = true;
      }
    }
    return out;
  }

  function words(normalized) {
    return normalized.split(" ").filter(function (w) { return w !== ""; });
  }

  function queryTokens(text) {
    var head = Array.from(String(text)).slice(0, MAX_QUERY_CHARS).join("");
    return words(normalize(head)).slice(0, MAX_QUERY_TOKENS);
  }

  function isNumber(token) {
    return /^[0-9]+$/.test(token);
  }

  /* ---- Status lookup: mirror of src/search/status_lookup.rs ------------------------------- */

  function tolerance(len) {
    return len <= 3 ? 0 : len <= 6 ? 1 : 2;
  }

  /* Unrestricted Damerau-Levenshtein over code points (strsim's generic_damerau_levenshtein). */
  function damerauLevenshtein(a, b) {
    var aLen = a.length;
    var bLen = b.length;
    if (aLen === 0) return bLen;
    if (bLen === 0) return aLen;
    var width = aLen + 2;
    var d = new Array((aLen + 2) * (bLen + 2)).fill(0);
    var max = aLen + bLen;
    d[0] = max;
    var i, j;
    for (i = 0; i <= aLen; i++) {
      d[i + 1] = max;
      d[1 * width + (i + 1)] = i;
    }
    for (j = 0; j <= bLen; j++) {
      d[(j + 1) * width + 0] = max;
      d[(j + 1) * width + 1] = j;
    }
    var lastRow = new Map();
    for (i = 1; i <= aLen; i++) {
      var db = 0;
      for (j = 1; j <= bLen; j++) {
        var k = lastRow.has(b[j - 1]) ? lastRow.get(b[j - 1]) : 0;
        var insertion = d[(j + 1) * width + i] + 1;
        var deletion = d[j * width + (i + 1)] + 1;
        var transposition = d[db * width + k] + (i - k - 1) + 1 + (j - db - 1);
        var substitution = d[j * width + i] + 1;
        if (a[i - 1] === b[j - 1]) {
          db = j;
          substitution -= 1;
        }
        d[(j + 1) * width + (i + 1)] = Math.min(substitution, insertion, deletion, transposition);
      }
      lastRow.set(a[i - 1], i);
    }
    return d[(bLen + 1) * width + (aLen + 1)];
  }

  function buildStatusLookup(json) {
    var seen = new Set();
    var entries = ((json && json.statuses) || [])
      .filter(function (s) { return s && typeof s.slug === "string" && typeof s.message === "string"; })
      .sort(function (a, b) { return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0; })
      .filter(function (s) { return seen.has(s.slug) ? false : (seen.add(s.slug), true); });
    var ids = new Map();
    var vocabulary = [];
    var patterns = [];
    entries.forEach(function (entry, index) {
      [entry.message].concat(entry.aliases || []).forEach(function (text) {
        var ws = words(normalize(text)).map(function (token) {
          if (!ids.has(token)) {
            ids.set(token, vocabulary.length);
            vocabulary.push({ chars: Array.from(token), number: isNumber(token) });
          }
          return ids.get(token);
        });
        if (ws.length) patterns.push({ entry: index, words: ws });
      });
    });
    return { entries: entries, vocabulary: vocabulary, patterns: patterns };
  }

  function wordCost(word, query) {
    if (word.number && query.length && query.every(isAsciiDigit)) return 0;
    if (word.chars.length === query.length && word.chars.every(function (c, i) { return c === query[i]; })) {
      return 0;
    }
    var allowed = tolerance(word.chars.length);
    if (allowed === 0 || Math.abs(word.chars.length - query.length) > allowed) return null;
    var distance = damerauLevenshtein(word.chars, query);
    return distance <= allowed ? distance : null;
  }

  function better(a, b) {
    return b[0] > a[0] || (b[0] === a[0] && b[1] < a[1]) ? b : a;
  }

  function align(patternWords, queryLen, costs) {
    var previous = [];
    for (var j = 0; j <= queryLen; j++) previous.push([0, 0]);
    patternWords.forEach(function (word) {
      var current = [[0, 0]];
      for (var j = 1; j <= queryLen; j++) {
        var cell = better(previous[j], current[j - 1]);
        var cost = costs[word][j - 1];
        if (cost !== null) {
          cell = better(cell, [previous[j - 1][0] + 1, previous[j - 1][1] + cost]);
        }
        current.push(cell);
      }
      previous = current;
    });
    return previous[queryLen];
  }

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function rank(a, b) {
    var fullA = a.covered === a.tokens;
    var fullB = b.covered === b.tokens;
    return cmp(b.exact, a.exact) ||
      cmp(fullB, fullA) ||
      cmp(b.covered * a.tokens, a.covered * b.tokens) ||
      cmp(a.edits + a.extra, b.edits + b.extra) ||
      cmp(a.edits, b.edits) ||
      cmp(Array.from(a.message).length, Array.from(b.message).length) ||
      cmp(a.slug, b.slug);
  }

  /* Status messages matching `query`, best first (the query covers half their words or more). */
  function statusLookup(lookup, query) {
    var q = queryTokens(query).map(function (t) { return Array.from(t); });
    if (!q.length) return [];
    var costs = lookup.vocabulary.map(function (word) {
      return q.map(function (token) { return wordCost(word, token); });
    });
    var best = new Array(lookup.entries.length).fill(null);
    lookup.patterns.forEach(function (pattern) {
      var result = align(pattern.words, q.length, costs);
      var covered = result[0];
      var edits = result[1];
      var tokens = pattern.words.length;
      if (covered === 0 || covered * 2 < tokens) return;
      var entry = lookup.entries[pattern.entry];
      var candidate = {
        slug: entry.slug,
        url: entry.url,
        message: entry.message,
        edits: edits,
        exact: covered === tokens && edits === 0 && q.length === tokens,
        covered: covered,
        tokens: tokens,
        extra: q.length - covered
      };
      var current = best[pattern.entry];
      if (current === null || rank(candidate, current) < 0) best[pattern.entry] = candidate;
    });
    return best.filter(function (m) { return m !== null; }).sort(rank);
  }

  /* The status message the query stands for: every word of it matched, and half the query. */
  function looksLikeStatus(matches) {
    var best = matches[0];
    return best && best.covered === best.tokens && best.extra <= best.covered ? best : null;
  }

  /* ---- Static index: mirror of src/search/stem.rs and src/search/static_bundle/ -------- */

  var INDEX_DIR = "search-index/";
  var INDEX_VERSION = 1;
  /* A completion of the last word ("upl" → "upload") or a one-typo match counts half as much
   * as the word itself, so documents with the exact word stay first. */
  var PREFIX_FACTOR = 0.5;
  var TYPO_FACTOR = 0.5;
  var TYPO_MIN_CHARS = 5;
  /* Completions of a short last word ("up") are the most frequent terms of its shard. */
  var MAX_COMPLETIONS = 32;
  var SNIPPET_WORDS = 26;

  /* The light stemmer of src/search/stem.rs, rule for rule (see the rules there). */
  var STEM_RULES = [["ied", "y", 3], ["ing", "", 3], ["ed", "", 3], ["ly", "", 4]];

  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    var w = word;
    if (w.length >= 5 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
    else if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (!w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is") && w.endsWith("s")) w = w.slice(0, -1);
    for (var i = 0; i < STEM_RULES.length; i++) {
      var rule = STEM_RULES[i];
      if (!w.endsWith(rule[0])) continue;
      var head = w.slice(0, w.length - rule[0].length);
      if (head.length < rule[2] || !/[aeiouy]/.test(head)) continue;
      w = head + rule[1];
      var n = w.length;
      if (rule[1] === "" && n > 3 && w[n - 1] === w[n - 2] && !/[aeiouylsz]/.test(w[n - 1])) {
        w = w.slice(0, -1);
      }
      break;
    }
    if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
    return w;
  }

  /* The shard file of a term: its first two characters, a-z and 0-9 as they are, any other
   * character as _<hex code point>_; a word pair's is its first word's
   * (src/search/static_bundle/terms.rs, shard_key). */
  function shardKey(term) {
    return Array.from(term.split(" ")[0]).slice(0, 2).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }

  /* Stems the last word may be the beginning of: its own, and the word finished as -ing or
   * -ed when it ends in part of one ("uploadi" → "upload"), so results hold while typing. */
  function completions(word) {
    if (Array.from(word).length < 2) return [];
    var out = [stem(word)];
    ["ing", "ed"].forEach(function (suffix) {
      for (var n = 1; n < suffix.length; n++) {
        if (word.endsWith(suffix.slice(0, n))) out.push(stem(word + suffix.slice(n)));
      }
    });
    return out.filter(function (p, i) { return out.indexOf(p) === i; });
  }

  /* One entry per distinct stem of the query; the last word also matches as a prefix.
   * plan.pairs: the query's adjacent stems ("photo not", "not sync"), which the index holds
   * for status messages and titles (none with a number), in the shard of the first word. */
  function queryPlan(query) {
    var tokens = queryTokens(query);
    var plan = [];
    plan.pairs = [];
    tokens.forEach(function (word, i) {
      if (i > 0 && !isNumber(tokens[i - 1]) && !isNumber(word)) {
        var pair = stem(tokens[i - 1]) + " " + stem(word);
        if (plan.pairs.indexOf(pair) < 0) plan.pairs.push(pair);
      }
      var term = stem(word);
      var item = plan.find(function (p) { return p.term === term; });
      if (!item) {
        item = { word: word, term: term, key: shardKey(term), prefixes: [] };
        plan.push(item);
      }
      if (i === tokens.length - 1) item.prefixes = completions(word);
    });
    return plan;
  }

  function isPair(term) {
    return term.indexOf(" ") >= 0;
  }

  /* The terms of a shard a plan entry stands for: [term, factor], the exact stem first. */
  function candidates(item, shard) {
    var out = [];
    var exact = shard.has(item.term);
    if (exact) out.push([item.term, 1]);
    if (item.prefixes.length) {
      var completed = [];
      shard.forEach(function (list, term) {
        if (term !== item.term && !isPair(term) && item.prefixes.some(function (p) { return term.startsWith(p); })) {
          completed.push(term);
        }
      });
      completed.sort(function (a, b) { return shard.get(b).length - shard.get(a).length || cmp(a, b); });
      completed.slice(0, MAX_COMPLETIONS).forEach(function (term) { out.push([term, PREFIX_FACTOR]); });
    }
    // A stem of 3 letters is within one edit of too many words to guess which was meant.
    var chars = Array.from(item.term);
    if (!exact && Array.from(item.word).length >= TYPO_MIN_CHARS && chars.length > 3) {
      shard.forEach(function (list, term) {
        var other = Array.from(term);
        if (!isPair(term) && Math.abs(other.length - chars.length) <= 1 &&
            !out.some(function (c) { return c[0] === term; }) &&
            damerauLevenshtein(other, chars) <= 1) {
          out.push([term, TYPO_FACTOR]);
        }
      });
    }
    return out;
  }

  /* BM25: each query word adds idf × its stored weight for its best matching term, each
   * word pair of the query found in a status message or title adds its own (tantivy's
   * phrase boost), and the sum is scaled by the share of the query's words the document
   * has, so "waiting to upload" puts pages with all three words before pages with one. */
  function rankDocs(meta, plan, shards, allowed, limit) {
    var count = meta.docs;
    var scores = new Float64Array(count);
    var covered = new Uint8Array(count);
    var matched = new Set();
    function each(list, factor, visit) {
      var postings = list.length / 2;
      var idf = Math.log(1 + (count - postings + 0.5) / (postings + 0.5));
      var doc = 0;
      for (var i = 0; i + 1 < list.length; i += 2) {
        doc += list[i];
        if (doc >= 0 && doc < count) visit(doc, factor * idf * list[i + 1] / meta.scale);
      }
    }
    plan.forEach(function (item) {
      var shard = shards.get(item.key) || new Map();
      var best = new Map();
      candidates(item, shard).forEach(function (candidate) {
        matched.add(candidate[0]);
        each(shard.get(candidate[0]), candidate[1], function (doc, score) {
          if (!(best.get(doc) >= score)) best.set(doc, score);
        });
      });
      best.forEach(function (score, doc) {
        scores[doc] += score;
        covered[doc] += 1;
      });
    });
    plan.pairs.forEach(function (pair) {
      var list = (shards.get(shardKey(pair)) || new Map()).get(pair);
      if (list) each(list, 1, function (doc, score) { scores[doc] += score; });
    });
    var ranked = [];
    for (var doc = 0; doc < count; doc++) {
      if (scores[doc] > 0 && (!allowed || allowed[doc])) {
        scores[doc] *= covered[doc] / plan.length;
        ranked.push(doc);
      }
    }
    ranked.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return { docs: ranked.slice(0, limit), terms: matched };
  }

  /* Documents a platform filter keeps: the platform's own and those naming no platform, as
   * tantivy's filter does. */
  function allowedDocs(json, platform, count) {
    var allowed = new Uint8Array(count);
    var platforms = (json && json.platforms) || {};
    var own = Object.prototype.hasOwnProperty.call(platforms, platform) ? platforms[platform] : [];
    [(json && json.any) || [], own].forEach(function (list) {
      var doc = 0;
      list.forEach(function (delta) {
        doc += delta;
        if (doc >= 0 && doc < count) allowed[doc] = 1;
      });
    });
    return allowed;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The excerpt, else the description, around its first matched word, as escaped HTML with
   * the matched words in <mark>; null when neither has one (the description shows instead). */
  function snippetOf(entry, terms) {
    var texts = [entry.excerpt, entry.description];
    for (var t = 0; t < texts.length; t++) {
      var parts = String(texts[t] || "").split(/\s+/).filter(function (w) { return w !== ""; });
      var marked = parts.map(function (part) {
        return words(normalize(part)).some(function (w) { return terms.has(stem(w)); });
      });
      var first = marked.indexOf(true);
      if (first < 0) continue;
      var start = Math.max(0, Math.min(first - 4, parts.length - SNIPPET_WORDS));
      var end = Math.min(parts.length, start + SNIPPET_WORDS);
      var html = parts.slice(start, end).map(function (part, i) {
        return marked[start + i] ? "<mark>" + escapeHtml(part) + "</mark>" : escapeHtml(part);
      }).join(" ");
      return { html: (start > 0 ? "\u2026 " : "") + html + (end < parts.length ? " \u2026" : "") };
    }
    return null;
  }

  /* The static index, read through `load(path)` → Promise of the parsed JSON file under
   * search-index/ (fetch in the browser, files in the node tests). Each file is fetched
   * once per page and kept. */
  function createStaticIndex(load) {
    var cache = new Map();
    function get(path, prepare) {
      var found = cache.get(path);
      if (!found) {
        found = Promise.resolve().then(function () { return load(path); }).then(prepare || function (json) { return json; });
        found.catch(function () { cache.delete(path); });
        cache.set(path, found);
      }
      return found;
    }
    function meta() {
      return get("meta.json", function (json) {
        if (!json || json.version !== INDEX_VERSION) {
          throw new Error("search index: version " + (json && json.version) + ", expected " + INDEX_VERSION);
        }
        json.shardSet = new Set(json.shards || []);
        return json;
      });
    }
    function shard(key) {
      return get("terms/" + key + ".json", function (json) { return new Map(Object.entries(json || {})); });
    }
    function search(query, platform, limit) {
      return meta().then(function (info) {
        var plan = queryPlan(query);
        if (!plan.length || limit <= 0) return [];
        var keys = plan.map(function (item) { return item.key; })
          .filter(function (key, i, all) { return all.indexOf(key) === i && info.shardSet.has(key); });
        var filter = String(platform || "").trim().toLowerCase();
        return Promise.all([
          Promise.all(keys.map(shard)),
          filter ? get("platforms.json") : null
        ]).then(function (loaded) {
          var shards = new Map();
          keys.forEach(function (key, i) { shards.set(key, loaded[0][i]); });
          var allowed = filter ? allowedDocs(loaded[1], filter, info.docs) : null;
          var ranked = rankDocs(info, plan, shards, allowed, limit);
          var chunks = ranked.docs.map(function (doc) { return Math.floor(doc / info.chunk); })
            .filter(function (chunk, i, all) { return all.indexOf(chunk) === i; });
          return Promise.all(chunks.map(function (chunk) { return get("docs/" + chunk + ".json"); }))
            .then(function (entries) {
              var byChunk = new Map();
              chunks.forEach(function (chunk, i) { byChunk.set(chunk, entries[i] || []); });
              return ranked.docs.map(function (doc) {
                var entry = byChunk.get(Math.floor(doc / info.chunk))[doc % info.chunk] || {};
                return {
                  kind: entry.kind || "article",
                  url: siteUrl(entry.url || "/"),
                  title: entry.title || entry.url || "",
                  description: entry.description || "",
                  snippet: snippetOf(entry, ranked.terms)
                };
              });
            });
        });
      });
    }
    return { prefetch: meta, search: search };
  }

  /* ---- Loading ------------------------------------------------------------------------- */

  function fetchJson(path) {
    return fetch(BASE + path, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.json();
    });
  }

  var statusIndexPromise = null;
  function loadStatusIndex() {
    if (!statusIndexPromise) {
      statusIndexPromise = fetchJson("status-index.json")
        .then(buildStatusLookup)
        .catch(function (error) {
          statusIndexPromise = null;
          throw error;
        });
    }
    return statusIndexPromise;
  }

  var staticIndex = createStaticIndex(function (path) { return fetchJson(INDEX_DIR + path); });

  /* A result: {kind, url, title, description, snippet: {html: string} | null}. */
  function apiSearch(query, platform, limit) {
    var params = new URLSearchParams({ q: query, limit: String(limit) });
    if (platform) params.set("platform", platform);
    return fetch(BASE + "api/search?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("api/search: HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        var hits = Array.isArray(body) ? body : body.hits || [];
        return hits.map(function (hit) {
          return {
            kind: hit.kind,
            url: siteUrl(hit.url),
            title: hit.title,
            description: hit.description || "",
            snippet: hit.snippet_html ? { html: hit.snippet_html } : null
          };
        });
      });
  }

  function textSearch(query, platform, limit) {
    if (!USE_API) return staticIndex.search(query, platform, limit);
    return apiSearch(query, platform, limit).catch(function (error) {
      console.warn("fixbook: /api/search failed, using the static index", error);
      return staticIndex.search(query, platform, limit);
    });
  }

  /* Text results with the status page first when the query looks like a status message.
   * `early`, if given, is called with just the status page when the small status index
   * answers before the text search (the first query downloads index shards). */
  function runSearch(query, platform, limit, early) {
    var textDone = false;
    var lookupPromise = loadStatusIndex().then(
      function (lookup) {
        var matches = statusLookup(lookup, query);
        var status = looksLikeStatus(matches);
        if (early && status && !textDone) {
          early({ results: [statusResult(status)], status: status, suggestion: null, failed: false, pending: true });
        }
        return matches;
      },
      function (error) {
        console.warn("fixbook: status index unavailable", error);
        return [];
      }
    );
    var textPromise = textSearch(query, platform, limit + 1).then(
      function (results) { textDone = true; return { results: results, error: null }; },
      function (error) {
        textDone = true;
        console.warn("fixbook: search failed", error);
        return { results: [], error: error };
      }
    );
    return Promise.all([lookupPromise, textPromise]).then(function (done) {
      return combineResults(done[0], done[1], limit);
    });
  }

  /* The status page first when the query looks like a status message, then the text results
   * without duplicates, and a "did you mean" for a near miss. */
  function combineResults(matches, text, limit) {
    var results = text.results.slice();
    var status = looksLikeStatus(matches);
    if (status) {
      var url = siteUrl(status.url);
      var at = results.findIndex(function (r) { return r.url === url; });
      results.unshift(at >= 0 ? results.splice(at, 1)[0] : statusResult(status));
    }
    var seen = new Set();
    results = results.filter(function (r) { return seen.has(r.url) ? false : (seen.add(r.url), true); });
    var best = matches[0];
    var suggestion = null;
    if (status && !status.exact) {
      suggestion = status;
    } else if (!status && best && best.covered >= 2 && best.extra <= best.covered) {
      suggestion = best;
    }
    return {
      results: results.slice(0, limit),
      status: status,
      suggestion: suggestion,
      failed: text.error !== null,
      pending: false
    };
  }

  function statusResult(status) {
    return { kind: "status", url: siteUrl(status.url), title: status.message, description: "", snippet: null };
  }

  /* ---- Rendering (DOM only: no innerHTML with result text) ------------------------------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Snippets are escaped HTML with <mark>: parse inertly, keep text and <mark>. */
  function appendSnippetHtml(parent, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    (function copy(from, to) {
      Array.prototype.forEach.call(from.childNodes, function (node) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.appendChild(document.createTextNode(node.nodeValue));
        } else if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
          copy(node, to.appendChild(document.createElement("mark")));
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          to.appendChild(document.createTextNode(node.textContent));
        }
      });
    })(template.content, parent);
  }

  function appendSnippet(parent, snippet) {
    if (!snippet) return;
    if (snippet.html !== undefined) appendSnippetHtml(parent, snippet.html);
  }

  function kindLabel(result, isStatusLead) {
    return isStatusLead ? "Status message" : KIND_LABELS[result.kind] || "Page";
  }

  /* ---- Header: instant results as a combobox + listbox ----------------------------------- */

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function initHeader(input) {
    var form = input.form || input.parentNode;
    var listbox = el("ul", "search-dropdown");
    listbox.id = "site-search-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Search suggestions");
    listbox.hidden = true;
    form.appendChild(listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    var active = -1;
    var sequence = 0;

    function options() {
      return listbox.querySelectorAll("[role=option]");
    }

    function setActive(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      Array.prototype.forEach.call(all, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function option(id, href, className) {
      var li = el("li", className);
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var link = el("a", "search-option-link");
      link.href = href;
      link.tabIndex = -1;
      li.appendChild(link);
      return { li: li, link: link };
    }

    function render(query, found) {
      listbox.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      found.results.forEach(function (result, i) {
        var isLead = found.status !== null && i === 0 && result.url === siteUrl(found.status.url);
        var item = option("site-search-option-" + i, result.url,
          "search-option" + (isLead ? " search-option-status" : ""));
        item.link.appendChild(el("span", "search-kind search-kind-" + result.kind, kindLabel(result, isLead)));
        item.link.appendChild(el("span", "search-option-title", result.title));
        if (result.snippet) {
          var snippet = el("span", "search-option-snippet");
          appendSnippet(snippet, result.snippet);
          item.link.appendChild(snippet);
        }
        listbox.appendChild(item.li);
      });
      var all = option("site-search-option-all", BASE + "search/?q=" + encodeURIComponent(query),
        "search-option search-option-all");
      all.link.textContent = found.pending ? "Searching\u2026 see all results for \u201c" + query + "\u201d"
        : found.results.length ? "See all results for \u201c" + query + "\u201d"
        : found.failed ? "Search is unavailable, open the search page" : "No quick results: open the search page";
      listbox.appendChild(all.li);
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    var update = debounce(function () {
      var query = input.value.trim();
      var mine = ++sequence;
      if (!query) {
        close();
        return;
      }
      var current = function () { return mine === sequence && input.value.trim() === query; };
      runSearch(query, "", DROPDOWN_LIMIT, function (early) {
        if (current()) render(query, early);
      }).then(function (found) {
        if (current()) render(query, found);
      });
    }, DEBOUNCE_MS);

    input.addEventListener("input", update);
    input.addEventListener("focus", function () {
      // Someone about to search: fetch the indexes now, not on the first keystroke.
      loadStatusIndex().catch(function () {});
      if (!USE_API) staticIndex.prefetch().catch(function () {});
      if (input.value.trim() && listbox.hidden) update();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (listbox.hidden) {
          update();
          return;
        }
        event.preventDefault();
        // ArrowUp with nothing active wraps to the last option ("See all results").
        setActive(event.key === "ArrowDown" ? active + 1 : active < 0 ? -1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !listbox.hidden) {
        event.preventDefault();
        var link = options()[active].querySelector("a");
        if (link) window.location.assign(link.href);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    // Keep focus in the input while clicking an option, so the click lands before blur.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) {
        sequence++;
        close();
      }
    });
  }

  /* ---- Search page: search/?q=&platform= ------------------------------------------------- */

  function initSearchPage(input, container) {
    var form = input.form;
    var select = (form && form.querySelector("select[name=platform]")) ||
      document.querySelector("select[name=platform]");
    if (select && !select.querySelector("option[value='']")) {
      select.insertBefore(el("option", "", "All platforms"), select.firstChild).value = "";
    }
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (select) {
      select.value = params.get("platform") || "";
      if (select.selectedIndex < 0) select.value = "";
    }
    var sequence = 0;

    function remember(query, platform) {
      var next = new URLSearchParams();
      if (query) next.set("q", query);
      if (platform) next.set("platform", platform);
      var url = window.location.pathname + (next.toString() ? "?" + next.toString() : "");
      window.history.replaceState(null, "", url);
    }

    function render(query, found) {
      container.textContent = "";
      if (found.suggestion) {
        var p = el("p", "search-did-you-mean", "Did you mean ");
        p.appendChild(el("a", "", "\u201c" + found.suggestion.message + "\u201d")).href = siteUrl(found.suggestion.url);
        p.appendChild(document.createTextNode("?"));
        container.appendChild(p);
      }
      var summary = found.pending ? "Searching\u2026" :
        found.failed && found.results.length === 0 ? "Search is unavailable right now. Please try again later." :
        found.failed ? "Only the status message matched: text search is unavailable right now." :
        found.results.length === 0 ? "No results for \u201c" + query + "\u201d. Try fewer words, or the exact message on your screen." :
        found.results.length + (found.results.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d";
      container.appendChild(el("p", "search-summary", summary));
      if (!found.results.length) return;
      var list = el("ol", "search-results-list");
      found.results.forEach(function (result, i) {
        var isLead = found.status !== null && i === 0 && result.url === siteUrl(found.status.url);
        var item = el("li", "search-result search-result-" + result.kind + (isLead ? " search-result-status-match" : ""));
        item.appendChild(el("span", "search-kind search-kind-" + result.kind, kindLabel(result, isLead)));
        var title = el("h2", "search-result-title");
        title.appendChild(el("a", "", result.title)).href = result.url;
        item.appendChild(title);
        if (result.snippet) {
          var snippet = el("p", "search-result-snippet");
          appendSnippet(snippet, result.snippet);
          item.appendChild(snippet);
        } else if (result.description) {
          item.appendChild(el("p", "search-result-snippet", result.description));
        }
        list.appendChild(item);
      });
      container.appendChild(list);
    }

    function run() {
      var query = input.value.trim();
      var platform = select ? select.value : "";
      var mine = ++sequence;
      remember(query, platform);
      if (!query) {
        container.textContent = "";
        return;
      }
      container.setAttribute("aria-busy", "true");
      runSearch(query, platform, PAGE_LIMIT, function (early) {
        if (mine === sequence) render(query, early);
      }).then(function (found) {
        if (mine !== sequence) return;
        container.removeAttribute("aria-busy");
        render(query, found);
      });
    }

    input.addEventListener("input", debounce(run, DEBOUNCE_MS * 2));
    if (select) select.addEventListener("change", run);
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run();
      });
    }
    if (input.value.trim()) run();
  }

  function start() {
    var header = document.getElementById("site-search");
    if (header) initHeader(header);
    var pageInput = document.getElementById("search-page-input");
    var results = document.getElementById("search-results");
    if (pageInput && results) initSearchPage(pageInput, results);
  }

  // Exposed for tests (node and the browser suite); not an API for themes.
  var testing = {
    normalize: normalize,
    queryTokens: queryTokens,
    damerauLevenshtein: damerauLevenshtein,
    buildStatusLookup: buildStatusLookup,
    statusLookup: statusLookup,
    looksLikeStatus: looksLikeStatus,
    stem: stem,
    shardKey: shardKey,
    createStaticIndex: createStaticIndex,
    combineResults: combineResults
  };
  if (typeof module === "object" && module.exports) {
    module.exports = testing;
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
