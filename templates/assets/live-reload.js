/* fixbook serve: reloads the page after a rebuild that changed it, and shows the build's
 * errors over the page while the last edit does not build.
 *
 * Added to pages only by `fixbook serve` (site.live_reload). The server sends its build
 * status on /__fixbook/events (server-sent events) when the page connects and after every
 * build: {build, ok, base, changed: [url paths] | null, diagnostics: [...]}.
 * No inline code or style anywhere: the CSP allows script-src/style-src 'self' only, so
 * the overlay is styled through the CSSOM (element.style), which the CSP permits.
 */
(function () {
  "use strict";

  if (typeof EventSource === "undefined" || typeof document === "undefined") return;

  var shown = null; /* the build the page shows, once known */
  var overlay = null;

  function style(element, properties) {
    for (var name in properties) {
      if (Object.prototype.hasOwnProperty.call(properties, name)) element.style[name] = properties[name];
    }
    return element;
  }

  function element(tag, properties, text) {
    var node = style(document.createElement(tag), properties || {});
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Whether a rebuild that changed `changed` (url paths, or null for "everything") changed
   * what this page shows: the page itself, or a stylesheet, script or image it loads. */
  function affectsThisPage(status) {
    if (!status.changed) return true;
    var here = decodeURI(location.pathname);
    var assets = (status.base || "/") + "assets/";
    for (var i = 0; i < status.changed.length; i++) {
      var url = status.changed[i];
      if (url === here || url.indexOf(assets) === 0) return true;
      if (url.slice(-1) === "/" && url + "index.html" === here) return true;
    }
    return false;
  }

  function location_of(d) {
    if (!d.path) return "";
    var where = d.path;
    if (d.line) where += ":" + d.line + (d.column ? ":" + d.column : "");
    return where;
  }

  function hideOverlay() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  function showOverlay(diagnostics) {
    hideOverlay();
    var errors = diagnostics.filter(function (d) { return d.severity === "error"; });
    overlay = element("div", {
      position: "fixed", left: "0", right: "0", top: "0", maxHeight: "70vh", overflow: "auto",
      zIndex: "2147483647", background: "#1b1d23", color: "#f3f4f6", borderBottom: "4px solid #e5484d",
      boxShadow: "0 4px 24px rgba(0,0,0,.4)", padding: "1rem 1.25rem",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("data-fixbook-overlay", "");
    var head = element("div", { display: "flex", gap: "1rem", alignItems: "baseline", justifyContent: "space-between" });
    head.appendChild(element("strong", { fontSize: "15px", color: "#ff9592" },
      "fixbook: the last edit does not build (" + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      "); showing the last good version"));
    var close = element("button", {
      background: "transparent", color: "inherit", border: "1px solid #6b7280", borderRadius: "4px",
      padding: "0 .5rem", cursor: "pointer", font: "inherit"
    }, "Hide");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    head.appendChild(close);
    overlay.appendChild(head);
    var list = element("ol", { margin: ".75rem 0 0", padding: "0", listStyle: "none" });
    diagnostics.forEach(function (d) {
      var item = element("li", { margin: "0 0 .75rem" });
      var isError = d.severity === "error";
      item.appendChild(element("span", { color: isError ? "#ff9592" : "#ffca16", fontWeight: "bold" }, d.severity + ": "));
      item.appendChild(element("span", {}, d.message));
      var where = location_of(d);
      if (where) item.appendChild(element("div", { color: "#9ca3af" }, "  --> " + where));
      if (d.hint) item.appendChild(element("div", { color: "#a5d6ff" }, "  = help: " + d.hint));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function onStatus(status) {
    if (!status.ok) {
      showOverlay(status.diagnostics || []);
      if (shown === null) shown = status.build;
      return;
    }
    hideOverlay();
    if (shown === null) {
      shown = status.build;
      return;
    }
    if (status.build !== shown) {
      shown = status.build;
      if (affectsThisPage(status)) location.reload();
    }
  }

  function connect() {
    var source = new EventSource("/__fixbook/events");
    source.addEventListener("status", function (event) {
      try {
        onStatus(JSON.parse(event.data));
      } catch (err) {
        /* A malformed event is ignored; the next one says the same and more. */
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
