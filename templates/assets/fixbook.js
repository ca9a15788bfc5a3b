/* fixbook: progressive enhancements. Every page is complete without this file.
   - theme toggle (system → light → dark), saved as localStorage "fixbook.theme"
   - platform tabs (WAI-ARIA tabs), choice saved as localStorage "fixbook.platform"
   - "/" focuses the header search, Escape leaves it
   - opening the fix targeted by the URL hash, and every fix when printing */
(function () {
  "use strict";

  var root = document.documentElement;

  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  /* ---------- Theme toggle ---------- */
  var MODES = ["system", "light", "dark"];
  var LABELS = { system: "System", light: "Light", dark: "Dark" };

  function setupThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var label = button.querySelector(".theme-toggle-label");

    function show(mode) {
      var next = MODES[(MODES.indexOf(mode) + 1) % MODES.length];
      button.dataset.mode = mode;
      button.setAttribute("aria-label", "Colour theme: " + LABELS[mode] + ". Switch to " + LABELS[next]);
      button.title = "Theme: " + LABELS[mode];
      if (label) label.textContent = LABELS[mode];
    }

    var current = root.dataset.theme;
    show(MODES.indexOf(current) >= 0 ? current : "system");

    button.addEventListener("click", function () {
      var mode = MODES[(MODES.indexOf(button.dataset.mode) + 1) % MODES.length];
      root.dataset.theme = mode;
      save("fixbook.theme", mode);
      show(mode);
    });
  }

  /* ---------- Platform tabs ---------- */
  function platformsOf(el) {
    return (el.getAttribute("data-platforms") || "").split(/\s+/).filter(Boolean);
  }

  function selectTab(group, tab, focus) {
    var tabs = group.querySelectorAll('[role="tab"]');
    for (var i = 0; i < tabs.length; i++) {
      var t = tabs[i];
      var selected = t === tab;
      t.setAttribute("aria-selected", selected ? "true" : "false");
      t.tabIndex = selected ? 0 : -1;
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
  }

  /* Select, in one tab group, the tab covering `platform`; false if none does. */
  function selectPlatform(group, platform) {
    if (!platform) return false;
    var tabs = group.querySelectorAll('[role="tab"]');
    for (var i = 0; i < tabs.length; i++) {
      if (platformsOf(tabs[i]).indexOf(platform) >= 0) {
        selectTab(group, tabs[i], false);
        return true;
      }
    }
    return false;
  }

  function setupTabs() {
    var groups = document.querySelectorAll("[data-platform-tabs]");
    if (!groups.length) return;

    var main = document.querySelector("main[data-platform]");
    var pagePlatform = main ? main.getAttribute("data-platform") : null;
    var saved = load("fixbook.platform");

    Array.prototype.forEach.call(groups, function (group) {
      var tabs = Array.prototype.slice.call(group.querySelectorAll('[role="tab"]'));
      if (!tabs.length) return;

      if (!selectPlatform(group, pagePlatform) && !selectPlatform(group, saved)) {
        var initial = group.querySelector('[role="tab"][aria-selected="true"]') || tabs[0];
        selectTab(group, initial, false);
      }

      group.addEventListener("click", function (event) {
        var tab = event.target.closest('[role="tab"]');
        if (!tab || !group.contains(tab)) return;
        choose(group, tab, false);
      });

      group.addEventListener("keydown", function (event) {
        var tab = event.target.closest('[role="tab"]');
        if (!tab) return;
        var index = tabs.indexOf(tab);
        var next = null;
        switch (event.key) {
          case "ArrowRight": case "ArrowDown": next = tabs[(index + 1) % tabs.length]; break;
          case "ArrowLeft": case "ArrowUp": next = tabs[(index - 1 + tabs.length) % tabs.length]; break;
          case "Home": next = tabs[0]; break;
          case "End": next = tabs[tabs.length - 1]; break;
          default: return;
        }
        event.preventDefault();
        choose(group, next, true);
      });
    });

    /* A reader's choice applies to every tab group on the page and is remembered. */
    function choose(group, tab, focus) {
      selectTab(group, tab, focus);
      var platform = platformsOf(tab)[0];
      if (!platform) return;
      save("fixbook.platform", platform);
      Array.prototype.forEach.call(groups, function (other) {
        if (other !== group) selectPlatform(other, platform);
      });
    }
  }

  /* ---------- Keyboard: "/" to search ---------- */
  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function setupSearchKey() {
    document.addEventListener("keydown", function (event) {
      if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(document.activeElement)) {
        var input = document.getElementById("site-search");
        if (!input) return;
        event.preventDefault();
        input.focus();
        input.select();
      } else if (event.key === "Escape" && document.activeElement && document.activeElement.type === "search") {
        document.activeElement.blur();
      }
    });
  }

  /* ---------- Fix cards ---------- */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    var details = target && (target.tagName === "DETAILS" ? target : target.closest("details"));
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = [];
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.open = true;
        opened.push(d);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  /* ---------- "On this page": highlight the section being read ---------- */
  function setupTocSpy() {
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var headings = [];
    Array.prototype.forEach.call(links, function (a) {
      var el = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (el) { byId[el.id] = a; headings.push(el); }
    });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      var current = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) { current = headings[i].id; break; }
      }
      if (!current) return;
      Array.prototype.forEach.call(links, function (a) { a.classList.remove("is-current"); });
      byId[current].classList.add("is-current");
    }, { rootMargin: "0px 0px -60% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
  }

  setupThemeToggle();
  setupTabs();
  setupSearchKey();
  setupPrint();
  setupTocSpy();
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
