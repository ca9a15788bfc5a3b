/* fixbook: runs before first paint (loaded synchronously in <head>).
   Marks the page as scripted and applies the saved colour theme. */
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var theme = localStorage.getItem("fixbook.theme");
    if (theme === "light" || theme === "dark" || theme === "system") {
      root.dataset.theme = theme;
    }
  } catch (e) { /* storage blocked: follow the system */ }
})();
