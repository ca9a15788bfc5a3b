/* fixbook search: the header's instant results, the search page, and the status lookup.
 *
 * Loaded deferred on every page (no inline code: the CSP allows script-src 'self' only).
 * Reads from <html>: data-base (the site's base path, e.g. "/kb/"; default "/") and
 * data-api="1" (served by `fixbook serve`: ask /api/search first).
 *
 * Status lookup: statusLookup() below is the same algorithm as src/search/status_lookup.rs
 * over status-index.json (same normalization, per-word Damerau-Levenshtein, ranking), so a
 * query that looks like a status message puts that status page first here as on the server.
 * Text results: /api/search when data-api="1", else the pagefind bundle in <base>pagefind/.
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

  /* A site-relative URL ("/status/paused/", relative to the base path, as in SearchDoc.url
   * and status-index.json) as a path from the host root. pagefind's URLs already are. */
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

  /* ---- Loading ------------------------------------------------------------------------- */

  var statusIndexPromise = null;
  function loadStatusIndex() {
    if (!statusIndexPromise) {
      statusIndexPromise = fetch(BASE + "status-index.json", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("status index: HTTP " + response.status);
          return response.json();
        })
        .then(buildStatusLookup)
        .catch(function (error) {
          statusIndexPromise = null;
          throw error;
        });
    }
    return statusIndexPromise;
  }

  var pagefindPromise = null;
  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(BASE + "pagefind/pagefind.js")
        .then(function (pagefind) {
          return pagefind
            .options({ basePath: BASE + "pagefind/", baseUrl: BASE, excerptLength: 26 })
            .then(function () { return pagefind.init(); })
            .then(function () { return pagefind; });
        })
        .catch(function (error) {
          pagefindPromise = null;
          throw error;
        });
    }
    return pagefindPromise;
  }

  /* A result: {kind, url, title, description, snippet: {marked|html: string} | null}. */
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

  function pagefindSearch(query, platform, limit) {
    return loadPagefind().then(function (pagefind) {
      var options = platform ? { filters: { platform: platform } } : {};
      return pagefind.search(query, options).then(function (search) {
        var top = ((search && search.results) || []).slice(0, limit);
        return Promise.all(top.map(function (result) { return result.data(); }));
      });
    }).then(function (pages) {
      return pages.map(function (page) {
        var meta = page.meta || {};
        var kinds = (page.filters && page.filters.kind) || [];
        return {
          kind: kinds[0] || "article",
          url: page.url,
          title: meta.title || page.url,
          description: meta.description || "",
          snippet: page.excerpt ? { marked: page.excerpt } : null
        };
      });
    });
  }

  function textSearch(query, platform, limit) {
    if (!USE_API) return pagefindSearch(query, platform, limit);
    return apiSearch(query, platform, limit).catch(function (error) {
      console.warn("fixbook: /api/search failed, using the static index", error);
      return pagefindSearch(query, platform, limit);
    });
  }

  /* Text results with the status page first when the query looks like a status message.
   * `early`, if given, is called with just the status page when the small status index
   * answers before the text search (the first query downloads pagefind). */
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
      var matches = done[0];
      var results = done[1].results.slice();
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
        failed: done[1].error !== null,
        pending: false
      };
    });
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

  /* pagefind excerpts are plain text with <mark> around matched words: keep only those. */
  function appendMarked(parent, text) {
    var open = false;
    var current = parent;
    String(text).split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" && !open) {
        open = true;
        current = parent.appendChild(document.createElement("mark"));
      } else if (part === "</mark>" && open) {
        open = false;
        current = parent;
      } else if (part) {
        current.appendChild(document.createTextNode(part));
      }
    });
  }

  /* Server snippets are escaped HTML with <mark>: parse inertly, keep text and <mark>. */
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
    if (snippet.marked !== undefined) appendMarked(parent, snippet.marked);
    else if (snippet.html !== undefined) appendSnippetHtml(parent, snippet.html);
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
      if (!USE_API) loadPagefind().catch(function () {});
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
    looksLikeStatus: looksLikeStatus
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
