/* Repairs to the theme's HTML that a stylesheet cannot make, for screen readers.
   Material's search is a role="dialog" without a name (axe-core: aria-dialog-name); it only
   works with JavaScript, so naming it here, after its own label, is enough. */
(function () {
  "use strict";
  var dialogs = document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])');
  for (var i = 0; i < dialogs.length; i++) {
    var input = dialogs[i].querySelector(".md-search__input");
    dialogs[i].setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }
})();
