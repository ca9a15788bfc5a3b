/* fixbook: guides. Every guide works without this file (each step is an anchor of its page);
   with it, the guide remembers where the reader was, in this browser only
   (localStorage "fixbook.guide:<page>", nothing is sent anywhere):
   - coming back to a guide resumes at the step left, or starts at the reader's platform
     ("fixbook.platform", the choice the platform tabs remember);
   - an article page marks the fixes already tried in its guide;
   - "Copy a summary for support" puts the summary shown on the page on the clipboard.
   Every word shown comes from the page (data attributes), never from this file. */
(function () {
  "use strict";

  var PREFIX = "fixbook.guide:";

  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function forget(key) {
    try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function state(key) {
    try {
      var value = JSON.parse(load(key) || "null");
      return value && typeof value.at === "string" ? value : null;
    } catch (e) { return null; }
  }
  function words(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function setupGuide(guide) {
    var key = PREFIX + guide.getAttribute("data-guide");
    var panels = guide.querySelector(".guide-panels");
    if (!panels) return;

    function panel(id) {
      if (!id) return null;
      var el = document.getElementById(id);
      return el && el.parentNode === panels ? el : null;
    }
    function current() {
      return panel(decodeURIComponent(location.hash.slice(1)));
    }
    function remember(el, focus) {
      if (!el) return;
      save(key, JSON.stringify({ at: el.id, tried: words(el.getAttribute("data-tried")) }));
      var platform = el.getAttribute("data-platform");
      if (platform) save("fixbook.platform", platform);
      if (focus) {
        el.setAttribute("tabindex", "-1");
        el.focus({ preventScroll: true });
      }
    }

    /* Resume: the step left last time, else the track of the remembered platform. */
    if (!current()) {
      var saved = state(key);
      var platform = load("fixbook.platform");
      var choice = platform && panels.querySelector('#choose a[data-platform="' + platform.replace(/"/g, "") + '"]');
      if (saved && panel(saved.at) && saved.at !== guide.getAttribute("data-start")) {
        location.replace("#" + saved.at);
      } else if (choice) {
        location.replace(choice.getAttribute("href"));
      }
    }
    remember(current(), false);
    window.addEventListener("hashchange", function () { remember(current(), true); });

    guide.addEventListener("click", function (event) {
      var restart = event.target.closest("[data-guide-restart]");
      if (restart) forget(key);
    });

    Array.prototype.forEach.call(guide.querySelectorAll("[data-guide-copy]"), function (button) {
      var summary = button.closest(".guide-panel").querySelector("[data-guide-summary]");
      if (!summary) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = summary.textContent;
        function done() { button.textContent = button.getAttribute("data-copied"); }
        function fallback() {
          var range = document.createRange();
          range.selectNodeContents(summary);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          try { if (document.execCommand("copy")) done(); } catch (e) { /* left selected */ }
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  /* The article page: mark the fixes its guide says were tried. */
  function markTried(link) {
    var saved = state(PREFIX + link.getAttribute("href"));
    if (!saved || !saved.tried) return;
    var label = link.getAttribute("data-tried-label");
    saved.tried.forEach(function (slug) {
      var card = document.getElementById("fix-" + slug);
      if (!card || card.classList.contains("fix-tried")) return;
      card.classList.add("fix-tried");
      var title = card.querySelector(".fix-title");
      if (title && label) {
        var badge = document.createElement("span");
        badge.className = "fix-tried-badge";
        badge.textContent = label;
        title.appendChild(badge);
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-guide]"), setupGuide);
    Array.prototype.forEach.call(document.querySelectorAll("[data-guide-link]"), markTried);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
