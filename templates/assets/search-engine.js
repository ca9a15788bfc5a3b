/* fixbook search engine: what the browser needs to search without a server, and nothing
 * that touches the page. The same algorithms as the Rust side, rule for rule:
 *   normalize()/queryTokens()  ↔ src/search/normalize.rs
 *   statusLookup()             ↔ src/search/status_lookup.rs, over status-index.json
 *   stem()                     ↔ src/search/stem.rs
 *   createStaticIndex()        ↔ src/search/static_bundle/ (fields and boosts: src/search/schema.rs)
 * src/search/js_parity.rs runs this file under node against the Rust side.
 *
 * Loaded deferred before search.js, which draws the results; exposes
 * window.fixbookSearchEngine (module.exports under node). Reads data-base from <html>.
 */
(function () {
  "use strict";

  var root = typeof document === "undefined" ? { dataset: {} } : document.documentElement;
  var BASE = withSlash(root.dataset.base || "/");

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

  var engine = {
    INDEX_DIR: INDEX_DIR,
    normalize: normalize,
    words: words,
    queryTokens: queryTokens,
    damerauLevenshtein: damerauLevenshtein,
    buildStatusLookup: buildStatusLookup,
    statusLookup: statusLookup,
    looksLikeStatus: looksLikeStatus,
    stem: stem,
    shardKey: shardKey,
    createStaticIndex: createStaticIndex,
    combineResults: combineResults,
    statusResult: statusResult
  };
  if (typeof module === "object" && module.exports) {
    module.exports = engine;
    return;
  }
  window.fixbookSearchEngine = engine;
})();
