/* fixbook search: the header's instant results and the search page. The searching itself
 * (normalization, the status lookup, the static index) is search-engine.js, loaded before
 * this file; here are the page's parts: asking /api/search or the static index, and
 * drawing the results.
 *
 * Loaded deferred on every page (no inline code: the CSP allows script-src 'self' only).
 * Reads from <html>: data-base (the site's base path, e.g. "/kb/"; default "/"; "/kb/de/"
 * on a language's pages), data-api="1" (served by `fixbook serve`: ask /api/search first),
 * and on a multilingual site data-root and data-lang (see API_BASE).
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
  /* A page of a multilingual site also has data-root (the site's root, where /api/search
   * answers) and data-lang: it searches its own language's pages. */
  var API_BASE = withSlash(root.dataset.root || BASE);
  var LANG = root.dataset.lang || "";
  var USE_API = root.dataset.api === "1";
  var DROPDOWN_LIMIT = 8;
  var PAGE_LIMIT = 30;
  var DEBOUNCE_MS = 120;
  /* The theme's words in the page's language (templates/i18n/<code>.toml, keys js_…), which a
   * multilingual site's pages carry as JSON data; English otherwise. */
  var WORDS = readWords();
  function readWords() {
    var data = typeof document === "undefined" ? null : document.getElementById("fixbook-words");
    try { return data ? JSON.parse(data.textContent) : {}; } catch (e) { return {}; }
  }
  function w(key, english) {
    return typeof WORDS[key] === "string" ? WORDS[key] : english;
  }
  var KIND_LABELS = { article: w("js_kind_article", "Problem"), fix: w("js_kind_fix", "Fix"), status: w("js_kind_status", "Status message"), guide: w("js_kind_guide", "Guide") };
  var engine = typeof window === "undefined" ? null : window.fixbookSearchEngine;
  if (!engine) return;
  var INDEX_DIR = engine.INDEX_DIR;
  var buildStatusLookup = engine.buildStatusLookup;
  var statusLookup = engine.statusLookup;
  var looksLikeStatus = engine.looksLikeStatus;
  var createStaticIndex = engine.createStaticIndex;
  var combineResults = engine.combineResults;
  var statusResult = engine.statusResult;
  var normalizeQuery = function (query) { return engine.queryTokens(query).join(" "); };

  function withSlash(path) {
    return path.charAt(path.length - 1) === "/" ? path : path + "/";
  }

  /* A site-relative URL ("/status/paused/", relative to the base path, as in SearchDoc.url,
   * status-index.json and the static index) as a path from the host root. */
  function siteUrl(url) {
    return BASE + String(url).replace(/^\/+/, "");
  }

  function fetchJson(path) {
    return fetch(BASE + path, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.json();
    });
  }

  /* status-index.json, fetched once; a built site's also carries the static index's
   * meta.json (`index`), which spares the first query a request. */
  var statusJsonPromise = null;
  function loadStatusJson() {
    if (!statusJsonPromise) {
      statusJsonPromise = fetchJson("status-index.json").catch(function (error) {
        statusJsonPromise = null;
        throw error;
      });
    }
    return statusJsonPromise;
  }

  var statusIndexPromise = null;
  function loadStatusIndex() {
    if (!statusIndexPromise) {
      statusIndexPromise = loadStatusJson()
        .then(buildStatusLookup)
        .catch(function (error) {
          statusIndexPromise = null;
          throw error;
        });
    }
    return statusIndexPromise;
  }

  var staticIndex = createStaticIndex(
    function (path) { return fetchJson(INDEX_DIR + path); },
    function () { return loadStatusJson().then(function (json) { return json && json.index; }); }
  );

  /* A result: {kind, url, title, description, snippet: {html: string} | null}. */
  function apiSearch(query, platform, limit) {
    var params = new URLSearchParams({ q: query, limit: String(limit) });
    if (platform) params.set("platform", platform);
    if (LANG) params.set("lang", LANG);
    return fetch(API_BASE + "api/search?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("api/search: HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        var hits = Array.isArray(body) ? body : body.hits || [];
        var results = hits.map(function (hit) {
          return {
            kind: hit.kind,
            url: siteUrl(hit.url),
            title: hit.title,
            description: hit.description || "",
            snippet: hit.snippet_html ? { html: hit.snippet_html } : null
          };
        });
        results.corrected = (body && body.corrected) || null;
        return results;
      });
  }

  /* `options.prefix`: the last word may be unfinished (the header's results as you type). */
  function textSearch(query, platform, limit, options) {
    if (!USE_API) return staticIndex.search(query, platform, limit, options);
    return apiSearch(query, platform, limit).catch(function (error) {
      console.warn("fixbook: /api/search failed, using the static index", error);
      return staticIndex.search(query, platform, limit, options);
    });
  }

  /* Text results with the status page first when the query looks like a status message.
   * `early`, if given, is called with just the status page when the small status index
   * answers before the text search (the first query downloads index shards). */
  function runSearch(query, platform, limit, early, options) {
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
    // `limit` text results are enough: the status page goes first whether or not it is one
    // of them, and a text result one further down would never be shown. Each result shown
    // costs the static index a document chunk.
    var textPromise = textSearch(query, platform, limit, options).then(
      function (results) {
        textDone = true;
        return { results: results, error: null, corrected: results.corrected || null };
      },
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
    return isStatusLead ? KIND_LABELS.status : KIND_LABELS[result.kind] || w("js_kind_page", "Page");
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
    listbox.setAttribute("aria-label", w("js_suggestions", "Search suggestions"));
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
      all.link.textContent = found.pending ? w("js_searching_see_all", "Searching\u2026 see all results for \u201c{query}\u201d").replace("{query}", query)
        : found.results.length ? w("js_see_all", "See all results for \u201c{query}\u201d").replace("{query}", query)
        : found.failed ? w("js_unavailable_open", "Search is unavailable, open the search page") : w("js_no_quick", "No quick results: open the search page");
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
      }, { prefix: true }).then(function (found) {
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
      select.insertBefore(el("option", "", w("js_all_platforms", "All platforms")), select.firstChild).value = "";
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

    function didYouMean(text, href) {
      var p = el("p", "search-did-you-mean", w("js_did_you_mean", "Did you mean") + " ");
      p.appendChild(el("a", "", "\u201c" + text + "\u201d")).href = href;
      p.appendChild(document.createTextNode("?"));
      container.appendChild(p);
    }

    /* No result is never a dead end: the site's top problems and the status messages A–Z. */
    function renderHelp() {
      loadStatusIndex().then(function (lookup) {
        if (container.querySelector(".search-help") || !container.querySelector(".search-empty")) return;
        var help = el("div", "search-help");
        if (lookup.top.length) {
          help.appendChild(el("h2", "search-help-title", w("js_top_problems", "Top problems")));
          var problems = el("ul", "search-help-problems");
          lookup.top.forEach(function (problem) {
            problems.appendChild(el("li")).appendChild(el("a", "", problem.title)).href = siteUrl(problem.url);
          });
          help.appendChild(problems);
        }
        var statuses = lookup.entries.slice().sort(function (a, b) {
          var x = a.message.toLowerCase();
          var y = b.message.toLowerCase();
          return x < y ? -1 : x > y ? 1 : 0;
        });
        if (statuses.length) {
          help.appendChild(el("h2", "search-help-title", w("js_status_az", "Status messages A\u2013Z")));
          var list = el("ul", "search-help-statuses");
          statuses.forEach(function (status) {
            list.appendChild(el("li")).appendChild(el("a", "", status.message)).href = siteUrl(status.url);
          });
          help.appendChild(list);
        }
        var more = el("p", "search-help-more");
        more.appendChild(el("a", "", w("js_browse_all", "Browse all problems"))).href = BASE + "articles/";
        help.appendChild(more);
        container.appendChild(help);
      }, function () {});
    }

    function render(query, found) {
      container.textContent = "";
      if (found.suggestion) didYouMean(found.suggestion.message, siteUrl(found.suggestion.url));
      if (found.corrected && found.corrected !== normalizeQuery(query)) {
        didYouMean(found.corrected, BASE + "search/?q=" + encodeURIComponent(found.corrected));
      }
      var summary = found.pending ? w("js_searching", "Searching\u2026") :
        found.failed && found.results.length === 0 ? w("js_unavailable", "Search is unavailable right now. Please try again later.") :
        found.failed ? w("js_only_status", "Only the status message matched: text search is unavailable right now.") :
        found.results.length === 0 ? w("js_no_results", "No results for \u201c{query}\u201d. Try fewer words, or the exact message on your screen.").replace("{query}", query) :
        (found.results.length === 1 ? w("js_result_one", "{n} result for \u201c{query}\u201d") : w("js_result_other", "{n} results for \u201c{query}\u201d"))
          .replace("{n}", String(found.results.length)).replace("{query}", query);
      container.appendChild(el("p", "search-summary" + (found.results.length || found.pending ? "" : " search-empty"), summary));
      if (!found.results.length) {
        if (!found.pending) renderHelp();
        return;
      }
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
