// On wide screens the folded filters (templates/includes/filter_form.html) open, and their
// button is hidden by the stylesheet: there is room to show them. Phones keep them folded, so
// the first result is on the first screen. Without JavaScript they stay folded everywhere.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 46.01rem)");
  function unfoldOnWideScreens() {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-open-when-wide]").forEach(function (details) {
      details.open = true;
    });
  }
  unfoldOnWideScreens();
  wide.addEventListener("change", unfoldOnWideScreens);
})();
