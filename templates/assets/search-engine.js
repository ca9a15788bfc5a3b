/* fixbook search engine: what the browser needs to search without a server, and nothing
 * that touches the page. The same algorithms as the Rust side, rule for rule:
 *   normalize()/queryTokens()  ↔ src/search/normalize.rs
 *   statusLookup()             ↔ src/search/status_lookup.rs, over status-index.json
 *   stemmer()                  ↔ src/search/stem/ (stemEnglish ↔ english.rs, stemGerman ↔ german.rs)
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

  /* Mirrors of src/search/normalize.rs: accents a reader may leave out, and the characters
   * of languages written without spaces (their runs become overlapping pairs). */
  var DROPPED_MARK = /^[\u0300-\u036f\u064b-\u065f\u0670\u0640]$/;
  var FOLDED_LATIN = /^[\u00c0-\u024f\u1e00-\u1eff]$/;
  var CJK = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]$/;

  function fold(c) {
    if (c === "\u00df") return "ss";
    if (!FOLDED_LATIN.test(c)) return c;
    return Array.from(c.normalize("NFD")).filter(function (p) { return !DROPPED_MARK.test(p); }).join("");
  }

  function pushWord(word, out) {
    if (word === "") return;
    var chars = Array.from(word);
    if (!chars.some(function (c) { return CJK.test(c); })) {
      out.push(word);
      return;
    }
    var i = 0;
    while (i < chars.length) {
      var cjk = CJK.test(chars[i]);
      var end = i;
      while (end < chars.length && CJK.test(chars[end]) === cjk) end++;
      if (!cjk || end - i === 1) {
        out.push(chars.slice(i, end).join(""));
      } else {
        for (var j = i; j + 1 < end; j++) out.push(chars[j] + chars[j + 1]);
      }
      i = end;
    }
  }

  function normalize(text) {
    var chars = Array.from(String(text).toLowerCase());
    var out = [];
    var word = "";
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (APOSTROPHES.indexOf(c) !== -1 || DROPPED_MARK.test(c)) {
        continue;
      } else if ((c === "," || c === ".") && isAsciiDigit(chars[i - 1]) && isAsciiDigit(chars[i + 1])) {
        continue;
      } else if (ALPHANUMERIC.test(c)) {
        word += fold(c);
      } else {
        pushWord(word, out);
        word = "";
      }
    }
    pushWord(word, out);
    return out.join(" ");
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
    return {
      entries: entries,
      vocabulary: vocabulary,
      patterns: patterns,
      stop: new Set((json && json.stop) || []),
      cues: new Set((json && json.cues) || []),
      platforms: new Set((json && json.platforms) || []),
      stem: stemmer(json && json.stemmer),
      top: ((json && json.top) || []).filter(function (t) { return t && typeof t.title === "string"; })
    };
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
    var sentence = inSentence(lookup, queryTokens(query), costs);
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
    var matches = best.filter(function (m) { return m !== null; }).sort(rank);
    matches.sentence = sentence;
    return matches;
  }

  /* A status message inside a sentence: src/search/sentence.rs, rule for rule. The message's
   * words follow each other in the query, each within tolerance, after a cue word (stop
   * words aside), or among words that are all stop words, cues, platforms or numbers. */
  function inSentence(lookup, tokens, costs) {
    var stop = function (t) { return lookup.stop.has(t); };
    var cue = function (t) { return lookup.cues.has(t); };
    var filler = tokens.map(function (t) {
      return stop(t) || cue(t) || lookup.platforms.has(lookup.stem(t)) || isNumber(t);
    });
    var best = null;
    lookup.patterns.forEach(function (pattern) {
      var len = pattern.words.length;
      for (var start = 0; start + len <= tokens.length; start++) {
        var edits = 0;
        var matched = pattern.words.every(function (word, k) {
          var cost = costs[word][start + k];
          if (cost === null) return false;
          edits += cost;
          return true;
        });
        if (!matched) continue;
        var announced = false;
        for (var i = start - 1; i >= 0; i--) {
          if (cue(tokens[i]) || !stop(tokens[i])) {
            announced = cue(tokens[i]);
            break;
          }
        }
        var alone = filler.every(function (f, i) { return f || (i >= start && i < start + len); });
        if (!announced && !alone) continue;
        var entry = lookup.entries[pattern.entry];
        var candidate = {
          slug: entry.slug,
          url: entry.url,
          message: entry.message,
          edits: edits,
          exact: edits === 0,
          covered: len,
          tokens: len,
          extra: tokens.length - len
        };
        if (best === null || sentenceOrder(candidate, best) < 0) best = candidate;
      }
    });
    return best;
  }

  /* Longer messages first, then fewer edits, then the lookup's ranking. */
  function sentenceOrder(a, b) {
    return cmp(b.tokens, a.tokens) || cmp(a.edits, b.edits) || rank(a, b);
  }

  /* The status message the query stands for: every word of it matched, and half the query;
   * else the message said inside the sentence, if any. */
  function looksLikeStatus(matches) {
    var best = matches[0];
    if (best && best.covered === best.tokens && best.extra <= best.covered) return best;
    return matches.sentence || null;
  }

  /* ---- Static index: mirror of src/search/stem.rs and src/search/static_bundle/ -------- */

  var INDEX_DIR = "search-index/";
  var INDEX_VERSION = 3;
  /* As you type (the header's results): a completion of the last word ("upl" → "upload")
   * counts half as much as the word itself, so documents with the exact word stay first. */
  var PREFIX_FACTOR = 0.5;
  /* Completions of a short last word ("up") are the most frequent terms of its shard. */
  var MAX_COMPLETIONS = 32;
  var SNIPPET_WORDS = 26;
  /* Mirrors of src/search/understand.rs and src/search/schema.rs. */
  var MAX_CONCEPTS = 16;
  var MIN_CORRECTED_CHARS = 4;
  var PLATFORM_BOOST = 2.0;

  /* The stemmer an index names (meta.json's query.stemmer, status-index.json's stemmer):
   * "de", "none", or English when absent (src/search/stem/mod.rs, Stemmer::name). */
  function stemmer(name) {
    if (name === "de") return stemGerman;
    if (name === "none") return function (word) { return word; };
    return stemEnglish;
  }

  /* The light English stemmer of src/search/stem/english.rs, rule for rule (see the rules
   * there). */
  var STEM_RULES = [["ied", "y", 3], ["ing", "", 3], ["ed", "", 3], ["ly", "", 4]];

  function stemEnglish(word) {
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

  /* The German stemmer of src/search/stem/german.rs (CISTEM on folded words), rule for
   * rule (see the rules there). */
  var GE_KEPT = ["gebet", "gebot", "geld", "gelb", "genau", "gerat"];
  var SEPARABLE = ["ab", "an", "auf", "aus", "bei", "durch", "ein", "fest", "her", "herunter",
    "hin", "hoch", "los", "mit", "nach", "um", "vor", "weg", "wieder", "zu", "zuruck", "zusammen"];

  function stemGerman(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    var w = word;
    if (w.startsWith("ge")) {
      if (w.length - 2 >= 4 && !GE_KEPT.some(function (k) { return w.startsWith(k); })) w = w.slice(2);
    } else {
      for (var i = 0; i < SEPARABLE.length; i++) {
        var p = SEPARABLE[i];
        if (w.startsWith(p + "ge") && w.length - p.length - 2 >= 4) {
          w = p + w.slice(p.length + 2);
          break;
        }
      }
    }
    w = w.replace(/sch/g, "S").replace(/ei/g, "E").replace(/ie/g, "I").replace(/(.)\1/g, "$1*");
    while (w.length > 3) {
      if (w.length > 5 && /(em|er|nd)$/.test(w)) w = w.slice(0, -2);
      else if (/[tesn]$/.test(w)) w = w.slice(0, -1);
      else break;
    }
    return w.replace(/(.)\*/g, "$1$1").replace(/S/g, "sch").replace(/E/g, "ei").replace(/I/g, "ie");
  }

  /* The shard file of a term: its first two characters, a-z and 0-9 as they are, any other
   * character as _<hex code point>_; a word pair's is its first word's
   * (src/search/static_bundle/terms.rs, shard_key). */
  function shardKey(term) {
    return Array.from(term.split(" ")[0]).slice(0, 2).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }

  function stemsOf(text, stem) {
    return words(normalize(text)).map(stem);
  }

  function sameWords(a, b) {
    return a.length === b.length && a.every(function (w, i) { return w === b[i]; });
  }

  /* The query understood: src/search/understand.rs, step for step. `rules` is meta.json's
   * `query` ({stop, synonyms: [[entry, …]], platforms: [[key, [stem, …]]], stemmer}), `vocabulary`
   * answers contains(term) and shardWords(term) → [[word, documents], …].
   * → {concepts: [[[stem, …], …]], pairs: [[a, b]], platforms: [key], corrected, tokens} */
  function understand(query, rules, vocabulary) {
    var stem = stemmer(rules.stemmer);
    var tokens = queryTokens(query);
    var stop = new Set(rules.stop || []);
    var groups = (rules.synonyms || []).map(function (group) {
      return group.map(function (entry) { return entry.split(" ").filter(function (w) { return w !== ""; }); });
    });
    function isSynonym(stems) {
      return groups.some(function (group) { return group.some(function (entry) { return sameWords(entry, stems); }); });
    }
    var stems = [];
    var shown = [];
    var corrected = false;
    tokens.forEach(function (token) {
      var own = stem(token);
      var fixed = null;
      if (!stop.has(token) && !isNumber(token) && Array.from(token).length >= MIN_CORRECTED_CHARS &&
          !isSynonym([own]) && !vocabulary.contains(own)) {
        fixed = correction(own, vocabulary);
      }
      if (fixed !== null) {
        corrected = true;
        shown.push(token.startsWith(own) ? fixed + token.slice(own.length) : fixed);
        stems.push(fixed);
      } else {
        shown.push(token);
        stems.push(own);
      }
    });
    var pairs = [];
    for (var i = 1; i < tokens.length; i++) {
      if (isNumber(tokens[i - 1]) || isNumber(tokens[i]) || stop.has(tokens[i - 1])) continue;
      if (!pairs.some(function (p) { return p[0] === stems[i - 1] && p[1] === stems[i]; })) {
        pairs.push([stems[i - 1], stems[i]]);
      }
    }
    var concepts = [];
    function push(alternatives) {
      var key = JSON.stringify(alternatives);
      if (concepts.length < MAX_CONCEPTS && !concepts.some(function (c) { return JSON.stringify(c) === key; })) {
        concepts.push(alternatives);
      }
    }
    var at = 0;
    while (at < stems.length) {
      var rest = stems.slice(at);
      var longest = 0;
      groups.forEach(function (group) {
        group.forEach(function (entry) {
          if (entry.length > longest && entry.length <= rest.length && sameWords(entry, rest.slice(0, entry.length))) {
            longest = entry.length;
          }
        });
      });
      if (longest > 0) {
        var matched = rest.slice(0, longest);
        var alternatives = [matched];
        groups.forEach(function (group) {
          if (!group.some(function (entry) { return sameWords(entry, matched); })) return;
          group.forEach(function (entry) {
            if (!alternatives.some(function (a) { return sameWords(a, entry); })) alternatives.push(entry);
          });
        });
        push(alternatives);
        at += longest;
        continue;
      }
      if (!stop.has(tokens[at])) push([[stems[at]]]);
      at += 1;
    }
    if (!concepts.length) stems.forEach(function (s) { push([[s]]); });
    var platforms = (rules.platforms || []).filter(function (platform) {
      return concepts.some(function (alternatives) {
        return alternatives.some(function (a) { return a.length === 1 && platform[1].indexOf(a[0]) >= 0; });
      });
    }).map(function (platform) { return platform[0]; });
    return {
      concepts: concepts,
      pairs: pairs,
      platforms: platforms,
      corrected: corrected ? shown.join(" ") : null,
      tokens: tokens,
      stems: stems
    };
  }

  /* The word of the site `term` was most likely meant to be (understand.rs, correction). */
  function correction(term, vocabulary) {
    var chars = Array.from(term);
    var allowed = tolerance(chars.length);
    if (allowed === 0) return null;
    var key = shardKey(term);
    var best = null;
    vocabulary.shardWords(term).forEach(function (found) {
      var word = found[0];
      var docs = found[1];
      if (isPair(word) || shardKey(word) !== key) return;
      var other = Array.from(word);
      if (Math.abs(other.length - chars.length) > allowed) return;
      var distance = damerauLevenshtein(chars, other);
      if (distance === 0 || distance > allowed) return;
      if (best === null || distance < best[0] || (distance === best[0] &&
          (docs > best[1] || (docs === best[1] && word < best[2])))) {
        best = [distance, docs, word];
      }
    });
    return best === null ? null : best[2];
  }

  /* Stems the last word may be the beginning of: its own, and the word finished as -ing or
   * -ed when it ends in part of one ("uploadi" → "upload"), so results hold while typing. */
  function completions(word, stem) {
    if (Array.from(word).length < 2) return [];
    var out = [stem(word)];
    ["ing", "ed"].forEach(function (suffix) {
      for (var n = 1; n < suffix.length; n++) {
        if (word.endsWith(suffix.slice(0, n))) out.push(stem(word + suffix.slice(n)));
      }
    });
    return out.filter(function (p, i) { return out.indexOf(p) === i; });
  }

  function isPair(term) {
    return term.indexOf(" ") >= 0;
  }

  /* The completions of the last word in its shard: [term, factor], most frequent first. */
  function completed(word, shard, stem) {
    var prefixes = completions(word, stem);
    var own = stem(word);
    var out = [];
    shard.forEach(function (list, term) {
      if (term !== own && !isPair(term) && prefixes.some(function (p) { return term.startsWith(p); })) {
        out.push(term);
      }
    });
    out.sort(function (a, b) { return shard.get(b).length - shard.get(a).length || cmp(a, b); });
    return out.slice(0, MAX_COMPLETIONS);
  }

  /* A dense posting list (a term most pages have, src/search/static_bundle/terms.rs,
   * push_dense): one character per document, "#" for none, "~120~" for a weight of 90 and
   * up; read into the [doc delta, weight, …] form of the other lists. */
  function undense(dense) {
    var out = [];
    var previous = 0;
    for (var i = 0, doc = 0; i < dense.length; i++, doc++) {
      var weight;
      if (dense[i] === "~") {
        var end = dense.indexOf("~", i + 1);
        if (end < 0) break;
        weight = Number(dense.slice(i + 1, end));
        i = end;
      } else {
        var code = dense.charCodeAt(i);
        weight = code - 35 - (code > 92 ? 1 : 0);
      }
      if (weight > 0) {
        out.push(doc - previous, weight);
        previous = doc;
      }
    }
    return out;
  }

  function idfOf(postings, count) {
    return Math.log(1 + (count - postings + 0.5) / (postings + 0.5));
  }

  /* BM25 as tantivy scores the same plan (src/search/query.rs): each concept adds its best
   * alternative (an alternative of several words needs them all and adds them up; a synonym
   * of several words must also be a phrase of a status message or title), each
   * word pair found in a status message or title adds its weight (idf included), and a
   * platform the query names adds PLATFORM_BOOST to its pages. `extra` holds completions of
   * the last word as you type: [term, factor] added to the last concept. */
  function rankDocs(meta, plan, shards, allowed, named, limit, extra) {
    var count = meta.docs;
    var scores = new Float64Array(count);
    var matched = new Set();
    function listOf(term) {
      return (shards.get(shardKey(term)) || new Map()).get(term);
    }
    function each(list, factor, visit) {
      var doc = 0;
      for (var i = 0; i + 1 < list.length; i += 2) {
        doc += list[i];
        if (doc >= 0 && doc < count) visit(doc, factor * list[i + 1] / meta.scale);
      }
    }
    function termScores(term, factor) {
      var list = listOf(term);
      var out = new Map();
      if (!list) return out;
      matched.add(term);
      var idf = idfOf(list.length / 2, count);
      each(list, factor * idf, function (doc, score) { out.set(doc, (out.get(doc) || 0) + score); });
      return out;
    }
    function pairScores(pair) {
      var list = listOf(pair);
      var out = new Map();
      if (list) each(list, 1, function (doc, score) { out.set(doc, (out.get(doc) || 0) + score); });
      return out;
    }
    plan.concepts.forEach(function (alternatives, c) {
      var best = new Map();
      var wordings = alternatives.map(function (words) { return [words, 1]; });
      if (extra && c === plan.concepts.length - 1) {
        extra.forEach(function (term) { wordings.push([[term], PREFIX_FACTOR]); });
      }
      wordings.forEach(function (wording, w) {
        var parts = wording[0].map(function (term) { return termScores(term, wording[1]); });
        // A synonym of several words must also be a phrase of a status message or title.
        if (w > 0) {
          for (var k = 1; k < wording[0].length; k++) {
            if (isNumber(wording[0][k - 1]) || isNumber(wording[0][k])) continue;
            parts.push(pairScores(wording[0][k - 1] + " " + wording[0][k]));
          }
        }
        parts[0].forEach(function (first, doc) {
          var sum = first;
          for (var p = 1; p < parts.length; p++) {
            if (!parts[p].has(doc)) return;
            sum += parts[p].get(doc);
          }
          if (!(best.get(doc) >= sum)) best.set(doc, sum);
        });
      });
      best.forEach(function (score, doc) { scores[doc] += score; });
    });
    plan.pairs.forEach(function (pair) {
      var list = listOf(pair[0] + " " + pair[1]);
      if (list) each(list, 1, function (doc, score) { scores[doc] += score; });
    });
    var ranked = [];
    for (var doc = 0; doc < count; doc++) {
      if (scores[doc] > 0 && (!allowed || allowed[doc])) {
        if (named && named[doc]) scores[doc] += PLATFORM_BOOST;
        ranked.push(doc);
      }
    }
    ranked.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return {
      docs: ranked.slice(0, limit),
      scores: ranked.slice(0, limit).map(function (d) { return scores[d]; }),
      terms: matched
    };
  }

  /* Documents listed under the given platforms, with those naming none when `any`: the
   * platform filter keeps both, as tantivy's filter does; a platform named in the query
   * boosts only its own. */
  function platformDocs(json, keys, any, count) {
    var out = new Uint8Array(count);
    var platforms = (json && json.platforms) || {};
    var lists = keys.map(function (key) {
      return Object.prototype.hasOwnProperty.call(platforms, key) ? platforms[key] : [];
    });
    if (any) lists.push((json && json.any) || []);
    lists.forEach(function (list) {
      var doc = 0;
      list.forEach(function (delta) {
        doc += delta;
        if (doc >= 0 && doc < count) out[doc] = 1;
      });
    });
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The excerpt, else the description, around its first matched word, as escaped HTML with
   * the matched words in <mark>; null when neither has one (the description shows instead). */
  function snippetOf(entry, terms, stem) {
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
   * once per page and kept. `knownMeta`, if given, → Promise of meta.json's content as the
   * status index carries it (`index`), or of nothing: then meta.json is fetched. search()
   * resolves to the results, an array that also carries `corrected` (the query with its
   * typos corrected, or null) and `scores`. */
  function createStaticIndex(load, knownMeta) {
    var cache = new Map();
    /* `path` through `from` (default `load`), prepared once and kept. */
    function get(path, prepare, from) {
      var found = cache.get(path);
      if (!found) {
        found = Promise.resolve().then(function () { return (from || load)(path); }).then(prepare || function (json) { return json; });
        found.catch(function () { cache.delete(path); });
        cache.set(path, found);
      }
      return found;
    }
    function loadMeta(path) {
      if (!knownMeta) return load(path);
      return Promise.resolve().then(knownMeta).catch(function () { return null; })
        .then(function (known) { return known || load(path); });
    }
    function meta() {
      return get("meta.json", function (json) {
        if (!json || json.version !== INDEX_VERSION) {
          throw new Error("search index: version " + (json && json.version) + ", expected " + INDEX_VERSION);
        }
        json.shardSet = new Set(json.shards || []);
        json.query = json.query || {};
        return json;
      }, loadMeta);
    }
    function shard(key) {
      return get("terms/" + key + ".json", function (json) {
        return new Map(Object.entries(json || {}).map(function (entry) {
          return [entry[0], typeof entry[1] === "string" ? undense(entry[1]) : entry[1]];
        }));
      });
    }
    /* The shards of `terms` that exist, added to `shards` (key → Map). */
    function loadShards(info, terms, shards) {
      var keys = terms.map(shardKey).filter(function (key, i, all) {
        return all.indexOf(key) === i && info.shardSet.has(key) && !shards.has(key);
      });
      return Promise.all(keys.map(shard)).then(function (loaded) {
        keys.forEach(function (key, i) { shards.set(key, loaded[i]); });
        return shards;
      });
    }
    function vocabularyOf(shards) {
      return {
        contains: function (term) {
          var found = shards.get(shardKey(term));
          return !!found && found.has(term);
        },
        shardWords: function (term) {
          var out = [];
          (shards.get(shardKey(term)) || new Map()).forEach(function (list, word) {
            if (!isPair(word)) out.push([word, list.length / 2]);
          });
          return out;
        }
      };
    }
    function search(query, platform, limit, options) {
      var prefix = !!(options && options.prefix);
      return meta().then(function (info) {
        var tokens = queryTokens(query);
        var shards = new Map();
        if (!tokens.length || limit <= 0) return Object.assign([], { corrected: null, scores: [] });
        // First the shards of the words that may need correcting (not stop words), then
        // those of the synonyms and pairs the understood query adds.
        var stop = new Set(info.query.stop || []);
        var stem = stemmer(info.query.stemmer);
        var words = tokens.filter(function (t) { return !stop.has(t); }).map(stem);
        return loadShards(info, words, shards).then(function () {
          var plan = understand(query, info.query, vocabularyOf(shards));
          var terms = [];
          plan.concepts.forEach(function (alternatives) {
            alternatives.forEach(function (a) { terms = terms.concat(a); });
          });
          plan.pairs.forEach(function (pair) { terms.push(pair[0]); });
          var filter = String(platform || "").trim().toLowerCase();
          var needPlatforms = filter || plan.platforms.length;
          return Promise.all([
            loadShards(info, terms, shards),
            needPlatforms ? get("platforms.json") : null
          ]).then(function (loaded) {
            var allowed = filter ? platformDocs(loaded[1], [filter], true, info.docs) : null;
            var named = plan.platforms.length ? platformDocs(loaded[1], plan.platforms, false, info.docs) : null;
            var last = tokens[tokens.length - 1];
            var extra = prefix && plan.stems[plan.stems.length - 1] === stem(last)
              ? completed(last, shards.get(shardKey(stem(last))) || new Map(), stem) : null;
            var ranked = rankDocs(info, plan, shards, allowed, named, limit, extra);
            var chunks = ranked.docs.map(function (doc) { return Math.floor(doc / info.chunk); })
              .filter(function (chunk, i, all) { return all.indexOf(chunk) === i; });
            return Promise.all(chunks.map(function (chunk) { return get("docs/" + chunk + ".json"); }))
              .then(function (entries) {
                var byChunk = new Map();
                chunks.forEach(function (chunk, i) { byChunk.set(chunk, entries[i] || []); });
                var results = ranked.docs.map(function (doc) {
                  var entry = byChunk.get(Math.floor(doc / info.chunk))[doc % info.chunk] || {};
                  return {
                    kind: entry.kind || "article",
                    url: siteUrl(entry.url || "/"),
                    title: entry.title || entry.url || "",
                    description: entry.description || "",
                    snippet: snippetOf(entry, ranked.terms, stem)
                  };
                });
                return Object.assign(results, { corrected: plan.corrected, scores: ranked.scores });
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
      corrected: text.corrected || null,
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
    stem: stemEnglish,
    stemmer: stemmer,
    shardKey: shardKey,
    undense: undense,
    understand: understand,
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
