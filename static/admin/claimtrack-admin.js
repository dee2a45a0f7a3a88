// Django's autocomplete boxes (select2) name their combobox after itself, so a screen reader
// announces nothing: give each the label of the select it stands for.
(function () {
  "use strict";
  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.labels && select.labels[0];
      const name = label ? label.textContent.replace(/:$/, "").trim() : select.name;
      select.parentElement
        .querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]")
        .forEach(function (element) { if (name) element.setAttribute("aria-label", name); });
    });
  }
  // select2 builds its boxes when it pleases (on load, for new inline rows): name each as it comes.
  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; nameComboboxes(); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", nameComboboxes);
})();
